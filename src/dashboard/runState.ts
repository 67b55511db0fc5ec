/**
 * What the dashboard knows of a run, built from its messages alone: each
 * chain's progress, a downsampled trace history, divergent iterations and
 * the post-warm-up draws for summaries, all in bounded memory. Taking a
 * message is cheap and synchronous, so the dashboard never holds up chains.
 * A method other than NUTS also has its progress and result kept, in words.
 * @module
 */
import { diagnose, summarize } from "../inference/diagnostics/report.ts";
import type { DrawStats } from "../inference/draws.ts";
import type { SampleMessage, StartMessage } from "../runtime/messages.ts";
import { elementNames } from "../tensor/layout.ts";
import { binCounts, edgesOver, rankCounts } from "./bins.ts";
import { DrawStore } from "./drawStore.ts";
import { methodProgress, methodResult, methodTitle } from "./methodRun.ts";
import { warmupPhases } from "./phase.ts";
import {
  type ChainState,
  type ChainStatus,
  type FinishedState,
  type Marginal,
  type MethodStatus,
  type RunMeta,
  type SnapshotEvent,
  type StatsEvent,
  TRACED_STATS,
  type TraceSlots,
  type TracedStat,
} from "./shared/protocol.ts";
import { streamPosition } from "./shared/positions.ts";
import { TraceStore } from "./traces.ts";

/** Memory limits of what a dashboard keeps of a run, in stored numbers. */
export interface RunStateLimits {
  /** Post-warm-up values and statistics kept for summaries (2^23, 64 MiB); past it, every other draw. */
  readonly draws?: number;
  /** Trace history over all chains and series (2^21, 16 MiB), at most 1024 slots per series. */
  readonly traces?: number;
  /** Divergent iterations kept per chain with their values (500). */
  readonly divergent?: number;
}

/** Bins of the marginal histograms, and of the rank plots. */
const HISTOGRAM_BINS = 30;
const RANK_BINS = 20;

interface ChainProgress {
  chain: number;
  state: ChainState;
  iter: number;
  divergent: number;
  warmupDivergent: number;
  recovered: number;
  stepSize: number;
  rate: number;
  /** Where the rate was last measured from. */
  markTime: number;
  markIter: number;
}

interface Divergence {
  readonly iter: number;
  readonly values: readonly number[];
}

/** Where a page's stream stands: what it was last sent. */
export interface Cursor {
  stride: number;
  /** Per chain, slots sent. */
  slots: number[];
  /** Per chain, divergent marks sent. */
  divergent: number[];
}

/** The summary and warnings of the draws so far, and the draws they came from. */
interface Summary {
  readonly event: Omit<StatsEvent, "marginals">;
  readonly columns: (j: number) => Float64Array[];
}

/** A run as seen through its messages. */
export class RunState {
  private start: StartMessage | undefined;
  meta: RunMeta | undefined;
  private phase: (iter: number) => string = () => "";
  private traces: TraceStore | undefined;
  private draws: DrawStore | undefined;
  private progress: ChainProgress[] = [];
  private divergences: Divergence[][] = [];
  finished: FinishedState | undefined;
  /** A method run's progress and result (undefined for NUTS). */
  method: MethodStatus | undefined;
  /** Shown in place of a method's progress when its messages carry none (a run directory's: see {@link MethodStatus}). */
  progressNote: string | undefined;
  /** Arrival time of the oldest draw not yet sent in a frame. */
  oldestPending: number | undefined;
  /** Increases with every message: whether anything changed since a moment. */
  version = 0;
  /** Post-warm-up draws received since the last summary. */
  newDraws = 0;

  constructor(private readonly limits: RunStateLimits = {}) {}

  /** Takes one message; `now` is its arrival (epoch milliseconds). */
  add(msg: SampleMessage, now: number): void {
    this.version++;
    switch (msg.type) {
      case "start":
        return this.begin(msg);
      case "draw": {
        const c = this.progress[msg.chain - 1];
        if (c === undefined || this.traces === undefined) return;
        this.oldestPending ??= now;
        this.onDraw(c, msg.iter, msg.warmup, msg.values, msg.stats, now);
        return;
      }
      case "adapted": {
        const c = this.progress[msg.chain - 1];
        if (c !== undefined) c.stepSize = msg.stepSize;
        return;
      }
      case "progress":
        if (this.method !== undefined) this.method = { ...this.method, progress: methodProgress(msg) };
        return;
      case "result":
        if (this.method !== undefined) this.method = { ...this.method, result: methodResult(msg) };
        return;
      case "chainDone": {
        const c = this.progress[msg.chain - 1];
        if (c !== undefined) c.state = "done";
        return;
      }
      case "done":
        this.finished = { ok: true };
        return;
      case "error":
        if (msg.chain !== undefined && this.progress[msg.chain - 1] !== undefined) this.progress[msg.chain - 1].state = "failed";
        else this.finished = { ok: false, message: msg.message };
    }
  }

  /** A chain is known to be at iteration `iter` (a run directory's checkpoint), without its draws. */
  reached(chain: number, iter: number, stepSize: number): void {
    const c = this.progress[chain - 1];
    if (c === undefined || iter <= c.iter) return;
    this.version++;
    c.iter = iter;
    c.stepSize = stepSize;
    if (c.state === "waiting") c.state = iter > (this.meta?.warmup ?? 0) ? "sampling" : "warmup";
  }

  /** The run ended without a message saying so (a run directory whose writer stopped). */
  end(state: FinishedState): void {
    this.version++;
    this.finished ??= state;
  }

  private begin(start: StartMessage): void {
    const s = start.settings;
    this.start = start;
    this.meta = {
      run: start.run,
      names: elementNames(start.valueLayout),
      chains: s.chains,
      warmup: s.warmup,
      draws: s.draws,
      thin: s.thin,
      maxDepth: s.maxDepth,
      ...(start.method === undefined ? {} : { method: methodTitle(start.method) }),
    };
    // A second start (a method run seen in its directory before its values' layout was known) begins afresh.
    this.method = start.method === undefined ? undefined : this.progressNote === undefined ? {} : { progressNote: this.progressNote };
    const size = this.meta.names.length;
    const series = size + TRACED_STATS.length;
    const traceBudget = this.limits.traces ?? 2 ** 21;
    this.traces = new TraceStore(s.chains, series, Math.max(64, Math.min(1024, Math.floor(traceBudget / (s.chains * series)))));
    this.draws = new DrawStore(size, this.limits.draws ?? 2 ** 23);
    this.phase = warmupPhases(s.warmup, s.adapt);
    this.progress = Array.from({ length: s.chains }, (_, i) => ({
      chain: i + 1,
      state: "waiting",
      iter: 0,
      divergent: 0,
      warmupDivergent: 0,
      recovered: 0,
      stepSize: NaN,
      rate: NaN,
      markTime: NaN,
      markIter: 0,
    }));
    this.divergences = Array.from({ length: s.chains }, () => []);
  }

  private onDraw(c: ChainProgress, iter: number, warmup: boolean, values: readonly number[], stats: DrawStats, now: number): void {
    c.state = warmup ? "warmup" : "sampling";
    c.iter = iter;
    c.stepSize = stats.stepSize;
    c.recovered += stats.recovered;
    if (Number.isNaN(c.markTime)) [c.markTime, c.markIter] = [now, iter];
    else if (now - c.markTime >= 1000) {
      c.rate = ((iter - c.markIter) * 1000) / (now - c.markTime);
      [c.markTime, c.markIter] = [now, iter];
    }
    if (stats.divergent) {
      if (warmup) c.warmupDivergent++;
      else c.divergent++;
      const kept = this.divergences[c.chain - 1];
      if (kept.length < (this.limits.divergent ?? 500)) kept.push({ iter, values: values.slice() });
    }
    // Most draws fall between trace slots: the statistics are gathered only for those that do not.
    const traces = this.traces!;
    const position = streamPosition(iter, this.meta!.warmup, this.meta!.thin);
    if (traces.wants(position))
      traces.add(
        c.chain,
        position,
        values,
        TRACED_STATS.map((s) => Number(stats[s])),
      );
    if (!warmup) {
      this.draws!.add(c.chain, values, stats);
      this.newDraws++;
    }
  }

  /** Every chain's progress. */
  chains(): ChainStatus[] {
    const total = (this.meta?.warmup ?? 0) + (this.meta?.draws ?? 0);
    return this.progress.map((c) => ({
      chain: c.chain,
      state: c.state,
      iter: c.iter,
      total,
      phase:
        c.state === "warmup"
          ? this.phase(c.iter)
          : c.state === "waiting"
            ? this.method === undefined
              ? "waiting for a worker"
              : "running"
            : c.state,
      rate: c.state === "done" ? NaN : c.rate,
      divergent: c.divergent,
      warmupDivergent: c.warmupDivergent,
      recovered: c.recovered,
      stepSize: c.stepSize,
    }));
  }

  /** A cursor at the start: the next slots sent will be all of them. */
  emptyCursor(): Cursor {
    const n = this.progress.length;
    return { stride: this.traces?.stride ?? 1, slots: new Array<number>(n).fill(0), divergent: new Array<number>(n).fill(0) };
  }

  /**
   * The trace slots and divergent marks past `cursor` for elements
   * `selected`, advancing the cursor; undefined when the stride changed
   * since (the page needs a snapshot).
   */
  slotsSince(cursor: Cursor, selected: readonly number[]): TraceSlots | undefined {
    const traces = this.traces;
    if (traces === undefined) return { stride: 1, from: [], values: {}, stats: emptyStats(), divergent: [] };
    if (cursor.stride !== traces.stride) return undefined;
    const size = this.meta!.names.length;
    const from = cursor.slots.slice();
    const chains = this.progress.map((c) => c.chain);
    const values: Record<number, number[][]> = {};
    for (const j of selected) values[j] = chains.map((k) => traces.slots(k, j, from[k - 1]));
    const stats = Object.fromEntries(TRACED_STATS.map((s, i) => [s, chains.map((k) => traces.slots(k, size + i, from[k - 1]))])) as Record<
      TracedStat,
      number[][]
    >;
    const divergent = chains.flatMap((k) =>
      this.divergences[k - 1].slice(cursor.divergent[k - 1]).map((d) => ({
        chain: k,
        iter: d.iter,
        values: Object.fromEntries(selected.map((j) => [j, d.values[j]])),
      })),
    );
    for (const k of chains) {
      cursor.slots[k - 1] = traces.length(k);
      cursor.divergent[k - 1] = this.divergences[k - 1].length;
    }
    return { stride: traces.stride, from, values, stats, divergent };
  }

  /** Everything so far for elements `selected`, and a cursor after it. */
  snapshot(selected: readonly number[]): { event: SnapshotEvent; cursor: Cursor } {
    const cursor = this.emptyCursor();
    const slots = this.slotsSince(cursor, selected)!;
    const meta = this.meta ?? { run: "", names: [], chains: 0, warmup: 0, draws: 0, thin: 1, maxDepth: 0 };
    const method = this.method === undefined ? {} : { method: this.method };
    return { event: { type: "snapshot", meta, selected, chains: this.chains(), finished: this.finished, ...method, ...slots }, cursor };
  }

  /**
   * The summary and warnings of the post-warm-up draws so far (of every
   * k-th, when there are more than `maxPerChain` per chain); undefined before
   * there are any. A method run's warnings are its result's (NUTS's
   * diagnostics do not apply), as `fit.diagnostics()` gives them.
   */
  summary(maxPerChain = Infinity): Summary | undefined {
    const { chains, step } = this.draws?.chainDraws(maxPerChain) ?? { chains: [], step: 1 };
    this.newDraws = 0;
    // A method's draws are independent: even one (optimize's mode) is worth a row.
    if (chains.length === 0 || chains[0].draws < (this.method === undefined ? 4 : 1)) return undefined;
    const rows = summarize(this.start!.valueLayout, chains);
    const s = this.start!.settings;
    const warnings =
      this.method === undefined ? diagnose(chains, rows, s.maxDepth, s.sampler).warnings : (this.method.result?.warnings ?? []);
    return {
      event: {
        type: "stats",
        drawsPerChain: chains[0].draws,
        chainsUsed: chains.map((c) => c.chain),
        thinned: this.draws!.thin * step,
        summary: rows,
        warnings,
      },
      columns: (j) => chains.map((c) => c.values[j]),
    };
  }

  /** The marginal of element `j` in `summary`'s draws, with each chain's histogram and rank histogram. */
  static marginal(summary: Summary, j: number): Marginal {
    const chains = summary.columns(j);
    const edges = edgesOver(chains, HISTOGRAM_BINS);
    return { edges, counts: chains.map((c) => binCounts(c, edges)), ranks: rankCounts(chains, RANK_BINS) };
  }
}

function emptyStats(): Record<TracedStat, number[][]> {
  return Object.fromEntries(TRACED_STATS.map((s) => [s, []])) as unknown as Record<TracedStat, number[][]>;
}
