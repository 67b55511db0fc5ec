/**
 * The example page's view of a run, built from its messages as they stream:
 * each chain's progress, a live trace plot per parameter (warm-up shaded,
 * divergences marked) and the summary table of the post-warm-up draws so
 * far (sampo's own summary, recomputed a few times a second). Plots, the
 * chains' table and the summary table are the dashboard's page components.
 * @module
 */
import type uPlot from "uplot";
import { renderChains } from "../../src/dashboard/page/panels.ts";
import { traceChart, traceData } from "../../src/dashboard/page/plots.ts";
import { SummaryTable } from "../../src/dashboard/page/table.ts";
import type { ChainStatus, SummaryEntry } from "../../src/dashboard/shared/protocol.ts";
import { diagnostics, type DrawMessage, type SampleMessage, type StartMessage } from "./sampo.browser.js";

/** The summary is recomputed at most this often while draws stream (ms). */
const SUMMARY_EVERY_MS = 400;

/** Where the view draws. */
export interface RunViewTargets {
  readonly chains: HTMLElement;
  readonly traces: HTMLElement;
  readonly basis: HTMLElement;
  readonly summary: HTMLElement;
}

/** A chain's progress so far. */
interface ChainProgress {
  iter: number;
  divergent: number;
  warmupDivergent: number;
  recovered: number;
  stepSize: number;
  done: boolean;
}

/** Every scalar element's name, as the summary names it (`theta[1]`). */
function elementNames(start: StartMessage): string[] {
  return start.valueLayout.flatMap((e) =>
    Array.from({ length: e.size }, (_, flat) => {
      if (e.shape.length === 0) return e.name;
      const idx: number[] = [];
      for (let a = e.shape.length - 1; a >= 0; a--) {
        idx.unshift((flat % e.shape[a]) + 1);
        flat = Math.floor(flat / e.shape[a]);
      }
      return `${e.name}[${idx.join(",")}]`;
    }),
  );
}

/** One run's view; a new run gets a new view. */
export class RunView {
  private readonly names: string[];
  private readonly chainCount: number;
  private readonly warmup: number;
  private readonly total: number;
  /** By element, per chain: the value at each iteration so far (warm-up included). */
  private readonly traces: number[][][];
  private readonly progress: ChainProgress[];
  /** Divergent draws after warm-up (those of warm-up, while the step size adapts, are expected). */
  private readonly divergences: DrawMessage[] = [];
  private readonly charts: uPlot[] = [];
  private readonly table = new SummaryTable();
  private readonly started = performance.now();
  private scheduled = false;
  private nextSummary = -Infinity;
  /** The summary's rows as last shown. */
  rows: readonly SummaryEntry[] = [];
  /** Frames drawn with draws in them so far. */
  frames = 0;

  constructor(
    start: StartMessage,
    private readonly targets: RunViewTargets,
  ) {
    const s = start.settings;
    this.names = elementNames(start);
    this.chainCount = s.chains;
    this.warmup = s.warmup;
    this.total = s.warmup + s.draws;
    this.traces = this.names.map(() => Array.from({ length: s.chains }, () => []));
    this.progress = Array.from({ length: s.chains }, () => ({
      iter: 0,
      divergent: 0,
      warmupDivergent: 0,
      recovered: 0,
      stepSize: NaN,
      done: false,
    }));
    targets.summary.replaceChildren(this.table.element);
    targets.traces.replaceChildren(
      ...this.names.map((name, j) => {
        const cell = document.createElement("div");
        cell.dataset.plot = "trace";
        cell.dataset.element = name;
        this.charts.push(
          traceChart(cell, {
            title: name,
            chains: s.chains,
            width: 430,
            height: 150,
            warmup: () => this.warmup,
            marks: () => this.divergences.map((d) => ({ x: d.iter, y: d.values[j] })),
          }),
        );
        return cell;
      }),
    );
    this.schedule();
  }

  /** Takes one message of the run. */
  add(msg: SampleMessage): void {
    if (msg.type === "draw") {
      const p = this.progress[msg.chain - 1];
      p.iter = msg.iter;
      p.stepSize = msg.stats.stepSize;
      p.recovered += msg.stats.recovered;
      if (msg.stats.divergent) {
        if (msg.warmup) p.warmupDivergent++;
        else {
          p.divergent++;
          this.divergences.push(msg);
        }
      }
      for (let j = 0; j < this.names.length; j++) this.traces[j][msg.chain - 1].push(msg.values[j]);
    } else if (msg.type === "chainDone") this.progress[msg.chain - 1].done = true;
    this.schedule();
  }

  /** The run ended: the last redraw, with the summary of every draw. */
  finish(): void {
    this.nextSummary = -Infinity;
    this.render();
  }

  /** Post-warm-up draws per chain so far, summed over chains. */
  get draws(): number {
    return this.progress.reduce((n, p) => n + Math.max(0, p.iter - this.warmup), 0);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => this.render());
  }

  private render(): void {
    this.scheduled = false;
    if (this.progress.some((p) => p.iter > 0)) this.frames++;
    renderChains(this.targets.chains, this.chainStatus());
    this.charts.forEach((chart, j) => chart.setData(traceData(this.chainCount, 1, this.traces[j], (position) => position)));
    const now = performance.now();
    if (now >= this.nextSummary) {
      this.renderSummary();
      // A summary of many draws takes a while: the page spends at most a fifth of its time on them.
      this.nextSummary = now + Math.max(SUMMARY_EVERY_MS, 5 * (performance.now() - now));
    }
  }

  private chainStatus(): ChainStatus[] {
    const seconds = (performance.now() - this.started) / 1000;
    return this.progress.map((p, i) => {
      const state = p.done ? "done" : p.iter === 0 ? "waiting" : p.iter <= this.warmup ? "warmup" : "sampling";
      return {
        chain: i + 1,
        state,
        iter: p.iter,
        total: this.total,
        phase: state === "warmup" ? "warm-up" : state,
        rate: p.iter > 0 ? p.iter / seconds : NaN,
        divergent: p.divergent,
        warmupDivergent: p.warmupDivergent,
        recovered: p.recovered,
        stepSize: p.stepSize,
      };
    });
  }

  /** The summary of the post-warm-up draws so far, of the chains that have some, cut to the shortest. */
  private renderSummary(): void {
    const used = this.progress.flatMap((p, i) => (p.iter - this.warmup >= 4 ? [i] : []));
    if (used.length === 0) {
      this.targets.basis.textContent = "the summary fills in once the chains are past warm-up";
      return;
    }
    const n = Math.min(...used.map((i) => this.progress[i].iter - this.warmup));
    this.rows = this.names.map((name, j) => ({
      name,
      ...diagnostics.summarizeColumn(used.map((i) => this.traces[j][i].slice(this.warmup, this.warmup + n))),
    }));
    this.table.update(this.rows);
    const chains = used.length === 1 ? `chain ${used[0] + 1}` : `chains ${used.map((i) => i + 1).join(", ")}`;
    this.targets.basis.textContent = `post-warm-up draws: ${n} per chain of ${chains}`;
  }
}
