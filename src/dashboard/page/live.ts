/**
 * The live page: reads the server's event stream into a model of the run
 * as events arrive (cheap, even in a hidden tab), and redraws at most once
 * per animation frame. Choosing other parameters reconnects with the new
 * choice; the server answers with a snapshot of them. A run of a method
 * other than NUTS shows its progress and result instead of the warm-up
 * panel and NUTS's per-chain figures.
 * @module
 */
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./style.css";
import { losslessParse } from "../../losslessJson.ts";
import {
  type ChainStatus,
  type DashboardEvent,
  type DivergentMark,
  type FinishedState,
  type MethodStatus,
  type RunMeta,
  type StatsEvent,
  TRACED_STATS,
  type TracedStat,
  type TraceSlots,
} from "../shared/protocol.ts";
import { iterationAt } from "../shared/positions.ts";
import { el, fill } from "./dom.ts";
import { renderProgress, renderResult } from "./method.ts";
import { picker, renderChains, renderWarnings } from "./panels.ts";
import { binChart, binData, traceChart, traceData } from "./plots.ts";
import { SummaryTable } from "./table.ts";

/** What tests and benchmarks read off the page. */
interface PageProbe {
  /** Each chain's last iteration shown. */
  iterations(): number[];
  /** The last iteration each chain's trace holds, for the first plotted element. */
  traced(): number[];
  /** Milliseconds from a draw reaching the server to its frame being drawn, per frame. */
  readonly latencies: number[];
  /** Milliseconds each redraw took. */
  readonly renderTimes: number[];
  /** Events received. */
  events: number;
}

declare global {
  interface Window {
    sampoDashboard: PageProbe;
  }
}

const MAX_SELECTED = 16;
const STAT_TITLES: Record<TracedStat, string> = {
  lp: "lp__",
  stepSize: "step size",
  treeDepth: "tree depth",
  acceptStat: "acceptance statistic",
  nLeapfrog: "leapfrog steps",
};
/** Probe samples kept (oldest dropped). */
const PROBE_LIMIT = 20_000;

/** A chosen element's plots. */
interface Shown {
  readonly trace: uPlot;
  readonly hist: uPlot;
  readonly rank: uPlot;
}

class LivePage {
  private meta: RunMeta | undefined;
  private selected: readonly number[] = [];
  private chains: readonly ChainStatus[] = [];
  private stride = 1;
  private values = new Map<number, number[][]>();
  private stats = {} as Record<TracedStat, number[][]>;
  private divergent: DivergentMark[] = [];
  private latest: StatsEvent | undefined;
  private finished: FinishedState | undefined;
  private method: MethodStatus | undefined;
  private source: EventSource | undefined;
  /** Arrival times at the server of the frames not yet drawn. */
  private undrawn: number[] = [];
  private layoutStale = true;
  private statsStale = false;
  private scheduled = false;
  private shown = new Map<number, Shown>();
  private warmupCharts = new Map<TracedStat, uPlot>();
  private readonly table = new SummaryTable();
  private readonly root = {
    status: el("header", { "data-panel": "status" }),
    chains: el("section", { "data-panel": "chains" }),
    warnings: el("section", { "data-panel": "warnings" }),
    picker: el("section", {}),
    plots: el("section", { "data-panel": "plots" }),
    warmup: el("section", { "data-panel": "warmup" }),
    basis: el("p", { class: "quiet" }),
    progress: el("section", { "data-panel": "progress" }),
    result: el("section", { "data-panel": "result" }),
  };
  /** Shown for a method run only, and for NUTS only. */
  private readonly methodOnly = [el("h2", {}, "Progress"), this.root.progress, el("h2", {}, "Result"), this.root.result];
  private readonly nutsOnly = [el("h2", {}, "Warm-up"), this.root.warmup];
  readonly probe: PageProbe = {
    iterations: () => this.chains.map((c) => c.iter),
    traced: () =>
      (this.values.get(this.selected[0]) ?? []).map((c) => (c.length === 0 ? 0 : this.iteration((c.length - 1) * this.stride + 1))),
    latencies: [],
    renderTimes: [],
    events: 0,
  };

  constructor(private readonly token: string | null) {
    const r = this.root;
    for (const e of this.methodOnly) e.hidden = true;
    document.body.append(
      r.status,
      ...this.methodOnly,
      el("h2", {}, "Chains"),
      r.chains,
      el("h2", {}, "Warnings"),
      r.warnings,
      el("h2", {}, "Parameters"),
      r.picker,
      r.plots,
      ...this.nutsOnly,
      el("h2", {}, "Summary"),
      r.basis,
      this.table.element,
    );
  }

  /** Opens the event stream for `sel` (undefined: the server's default). */
  connect(sel?: readonly number[]): void {
    this.source?.close();
    const q = new URLSearchParams();
    if (sel !== undefined) q.set("sel", sel.join(","));
    if (this.token !== null) q.set("token", this.token);
    this.source = new EventSource(`events?${q}`);
    // The address keeps the choice, so a reload or a shared link shows the same parameters.
    if (sel !== undefined) history.replaceState(null, "", `?${q}`);
    this.source.onmessage = (e: MessageEvent<string>) => this.receive(losslessParse(e.data) as DashboardEvent);
  }

  private receive(ev: DashboardEvent): void {
    this.probe.events++;
    switch (ev.type) {
      case "snapshot":
        this.meta = ev.meta;
        this.selected = ev.selected;
        this.chains = ev.chains;
        this.finished = ev.finished;
        this.method = ev.method;
        this.values = new Map(ev.selected.map((j) => [j, []]));
        this.stats = {} as Record<TracedStat, number[][]>;
        this.divergent = [];
        this.append(ev);
        this.layoutStale = true;
        break;
      case "frame":
        this.chains = ev.chains;
        this.method = ev.method;
        this.append(ev);
        this.undrawn.push(ev.oldest);
        break;
      case "stats":
        this.latest = ev;
        this.statsStale = true;
        break;
      case "end":
        this.finished = ev;
        document.body.dataset.finished = ev.ok ? "ok" : "failed";
        this.source?.close();
        break;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      requestAnimationFrame(() => this.render());
    }
  }

  /** Appends trace slots: chain k's arrays are cut to `from[k]` and extended. */
  private append(slots: TraceSlots): void {
    this.stride = slots.stride;
    const extend = (arrays: number[][], per: readonly (readonly number[])[]) =>
      per.forEach((xs, i) => {
        const a = (arrays[i] ??= []);
        a.length = Math.min(a.length, slots.from[i]);
        for (const x of xs) a.push(x);
      });
    for (const [j, per] of Object.entries(slots.values)) {
      const arrays = this.values.get(Number(j)) ?? [];
      this.values.set(Number(j), arrays);
      extend(arrays, per);
    }
    for (const s of TRACED_STATS) extend((this.stats[s] ??= []), slots.stats[s] ?? []);
    this.divergent.push(...slots.divergent);
  }

  /** The iteration at a stream position of this run. */
  private iteration(position: number): number {
    return iterationAt(position, this.meta?.warmup ?? 0, this.meta?.thin ?? 1);
  }

  private render(): void {
    this.scheduled = false;
    const t0 = performance.now();
    if (this.layoutStale) this.layout();
    this.renderStatus();
    renderChains(this.root.chains, this.chains, this.method !== undefined);
    if (this.method !== undefined) this.renderMethod(this.method);
    const chains = this.meta?.chains ?? 0;
    const at = (p: number) => this.iteration(p);
    for (const [j, plots] of this.shown) plots.trace.setData(traceData(chains, this.stride, this.values.get(j) ?? [], at));
    for (const [s, chart] of this.warmupCharts) chart.setData(traceData(chains, this.stride, this.stats[s] ?? [], at));
    if (this.statsStale) this.renderStats();
    const done = performance.timeOrigin + performance.now();
    const probe = this.probe;
    for (const t of this.undrawn) probe.latencies.push(done - t);
    this.undrawn = [];
    probe.renderTimes.push(performance.now() - t0);
    for (const a of [probe.latencies, probe.renderTimes]) if (a.length > PROBE_LIMIT) a.splice(0, a.length - PROBE_LIMIT);
  }

  private renderStatus(): void {
    const m = this.meta;
    const state =
      this.finished === undefined ? "running" : this.finished.ok ? "finished" : `failed: ${this.finished.message ?? "unknown error"}`;
    const iters = this.chains.reduce((n, c) => n + c.iter, 0);
    const total = this.chains.reduce((n, c) => n + c.total, 0);
    const method = m?.method;
    fill(
      this.root.status,
      el(
        "h1",
        {},
        "sampo · ",
        method === undefined ? "" : el("span", { "data-method": method }, method, " · "),
        m?.run ?? "waiting for a run",
      ),
      el("p", { "data-state": state }, `${state} · ${iters} of ${total} ${method === undefined ? "iterations" : "draws"}`),
    );
  }

  /** A method run's progress, result and warnings (the result's). */
  private renderMethod(method: MethodStatus): void {
    renderProgress(this.root.progress, method.progress, this.finished !== undefined, method.progressNote);
    renderResult(this.root.result, method.result);
    renderWarnings(this.root.warnings, method.result?.warnings, "warnings appear when the method finishes");
  }

  private renderStats(): void {
    this.statsStale = false;
    const s = this.latest;
    if (s === undefined) return;
    this.table.update(s.summary);
    const chains = s.chainsUsed.length === 1 ? `chain ${s.chainsUsed[0]}` : `chains ${s.chainsUsed.join(", ")}`;
    const thinned = s.thinned > 1 ? `, every ${s.thinned}th read (live summaries read at most 1000 per chain; the last reads all)` : "";
    if (this.method !== undefined)
      fill(this.root.basis, `${this.meta?.method ?? "method"} draws: ${s.drawsPerChain} per chain of ${chains}${thinned}`);
    else {
      fill(this.root.basis, `post-warm-up draws so far: ${s.drawsPerChain} per chain of ${chains} (cut to the shortest)${thinned}`);
      renderWarnings(this.root.warnings, s.warnings);
    }
    for (const [j, plots] of this.shown) {
      const m = s.marginals[j];
      if (m === undefined) continue;
      const widths = m.edges.slice(1).map((e, b) => e - m.edges[b]);
      const density = m.counts.map((c) => {
        const n = c.reduce((a, b) => a + b, 0) || 1;
        return c.map((x, b) => x / (n * widths[b]));
      });
      const chains = this.meta?.chains ?? 0;
      plots.hist.setData(binData(chains, s.chainsUsed, m.edges, density));
      plots.rank.setData(
        binData(
          chains,
          s.chainsUsed,
          Array.from({ length: m.ranks[0].length + 1 }, (_, b) => b),
          m.ranks,
        ),
      );
    }
  }

  /** Builds the plots of the chosen elements and the warm-up panel. */
  private layout(): void {
    this.layoutStale = false;
    for (const p of this.shown.values()) for (const u of Object.values(p)) (u as uPlot).destroy();
    for (const u of this.warmupCharts.values()) u.destroy();
    this.shown.clear();
    this.warmupCharts.clear();
    const meta = this.meta;
    const method = meta?.method !== undefined;
    for (const e of this.methodOnly) e.hidden = !method;
    for (const e of this.nutsOnly) e.hidden = method;
    if (meta === undefined || meta.names.length === 0) {
      // A method run watched in its directory: the values' names come with its draws, when it finishes.
      fill(
        this.root.plots,
        el("p", { class: "quiet" }, method ? "the draws appear when the method finishes" : "waiting for the run to start"),
      );
      return;
    }
    fill(
      this.root.picker,
      picker(meta.names, this.selected, MAX_SELECTED, (sel) => this.connect(sel)),
    );
    const marks = (j: number) => () => this.divergent.map((d) => ({ x: d.iter, y: d.values[j] }));
    const rows = this.selected.map((j) => {
      const row = el("div", { class: "param", "data-element": String(j) });
      const cell = (kind: string) => row.appendChild(el("div", { "data-plot": kind }));
      const name = meta.names[j];
      this.shown.set(j, {
        trace: traceChart(cell("trace"), {
          title: name,
          chains: meta.chains,
          width: 620,
          height: 190,
          warmup: () => meta.warmup,
          marks: marks(j),
        }),
        hist: binChart(cell("hist"), `${name}: density`, meta.chains, 300, 190),
        rank: binChart(cell("rank"), `${name}: ranks`, meta.chains, 300, 190, true),
      });
      return row;
    });
    fill(this.root.plots, ...rows);
    this.statsStale = true;
    // NUTS's statistics mean nothing for a method's draws: no warm-up panel.
    if (method) return fill(this.root.warmup);
    const warmupCells = TRACED_STATS.map((s) => {
      const cell = el("div", { "data-plot": `warmup-${s}` });
      const divergences = () => this.divergent.map((d) => ({ x: d.iter, y: undefined }));
      this.warmupCharts.set(
        s,
        traceChart(cell, {
          title: STAT_TITLES[s],
          chains: meta.chains,
          width: 400,
          height: 170,
          warmup: () => meta.warmup,
          marks: divergences,
          log: s === "stepSize",
        }),
      );
      return cell;
    });
    fill(this.root.warmup, ...warmupCells);
  }
}

// `?sel=0,3,5` in the page's address chooses the plotted elements (a link that shows the same view).
const query = new URLSearchParams(location.search);
const sel = query.get("sel");
const page = new LivePage(query.get("token"));
window.sampoDashboard = page.probe;
page.connect(sel === null ? undefined : sel.split(",").map(Number).filter(Number.isInteger));
