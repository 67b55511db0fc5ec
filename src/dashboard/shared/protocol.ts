/**
 * What the dashboard's server sends its page, as server-sent events whose
 * data is lossless JSON (see losslessJson.ts): a `snapshot` when a page
 * connects (the run so far), then `frame`s (what arrived since the last
 * one, at most one per frame interval), `stats` (summary, warnings and the
 * chosen parameters' marginals, recomputed as draws arrive) and `end`.
 *
 * Traces are kept at a stride: slot k of a chain's trace holds the
 * streamed iteration at position `k·stride + 1` (see positions.ts). When a trace would outgrow its capacity the stride doubles
 * (the server keeps even slots) and each page gets a new snapshot.
 *
 * A run of a method other than NUTS (`RunMeta.method`) also carries its
 * progress and, once it ends, its headline figures and warnings
 * ({@link MethodStatus}) in every snapshot and frame; a NUTS run carries none.
 * @module
 */
import type { SummaryRow } from "../../inference/diagnostics/format.ts";

/** The sampler statistics traced over iterations (warm-up panel). */
export const TRACED_STATS = ["lp", "stepSize", "treeDepth", "acceptStat", "nLeapfrog"] as const;

/** One traced statistic. */
export type TracedStat = (typeof TRACED_STATS)[number];

/** What a chain is doing. */
export type ChainState = "waiting" | "warmup" | "sampling" | "done" | "failed";

/** One chain's progress. */
export interface ChainStatus {
  /** 1-based. */
  readonly chain: number;
  readonly state: ChainState;
  /** The last iteration received (0 before the first). */
  readonly iter: number;
  /** Warm-up + draws. */
  readonly total: number;
  /** The warm-up phase in words ("initial buffer", "window 2 of 5", "terminal buffer"), or the state. */
  readonly phase: string;
  /** Iterations per second over the last seconds; NaN when unknown. */
  readonly rate: number;
  /** Divergent transitions after warm-up, and during it. */
  readonly divergent: number;
  readonly warmupDivergent: number;
  /** Leapfrog steps whose density threw or was not finite. */
  readonly recovered: number;
  /** The step size of the last iteration (the adapted one after warm-up). */
  readonly stepSize: number;
}

/** What the run is: sent once, in every snapshot. */
export interface RunMeta {
  readonly run: string;
  /** Every scalar element's name, as the summary names it (`theta[1]`). */
  readonly names: readonly string[];
  readonly chains: number;
  readonly warmup: number;
  readonly draws: number;
  /** Every `thin`-th iteration of warm-up and of sampling is streamed. */
  readonly thin: number;
  readonly maxDepth: number;
  /** The method as shown ("pathfinder", "advi", "smc", "optimize", "laplace"); absent for NUTS. */
  readonly method?: string;
}

/** A figure in words: a label and its value as text (numbers formatted by the server). */
export interface MethodFigure {
  readonly label: string;
  readonly value: string;
}

/** Where a method's engine stands: the last progress it reported. */
export interface MethodProgress {
  /** What it is doing, e.g. "path 2", "elbo", "run 1". */
  readonly phase: string;
  readonly iter: number;
  /** Iterations the phase takes at most, when known. */
  readonly total?: number;
  /** The figures it reported (ELBO, β, ESS, k̂, …). */
  readonly metrics: readonly MethodFigure[];
}

/** A method's outcome beyond its draws: its headline figures and its warnings. */
export interface MethodResult {
  /** k̂, log evidence ± its standard error, the optimizer's message, iterations, … */
  readonly figures: readonly MethodFigure[];
  readonly warnings: readonly string[];
}

/** A method run's progress and, once it ended, its result. */
export interface MethodStatus {
  readonly progress?: MethodProgress;
  readonly result?: MethodResult;
  /** Why no progress comes, when none will (a run directory does not record it); shown in its place. */
  readonly progressNote?: string;
}

/** A divergent iteration of a chain, with the chosen elements' values there. */
export interface DivergentMark {
  readonly chain: number;
  readonly iter: number;
  /** By element index (only the elements the page chose). */
  readonly values: Readonly<Record<number, number>>;
}

/**
 * Trace slots of the chosen elements and the traced statistics: per chain,
 * the slots from `from[chain − 1]` on.
 */
export interface TraceSlots {
  readonly stride: number;
  /** Per chain, the first slot carried. */
  readonly from: readonly number[];
  /** By element index: per chain, the values of slots `from…`. NaN marks an iteration not received. */
  readonly values: Readonly<Record<number, readonly (readonly number[])[]>>;
  readonly stats: Readonly<Record<TracedStat, readonly (readonly number[])[]>>;
  readonly divergent: readonly DivergentMark[];
}

/** Everything so far, for a page that connects, reloads or fell behind. */
export interface SnapshotEvent extends TraceSlots {
  readonly type: "snapshot";
  readonly meta: RunMeta;
  /** The element indices this snapshot (and the frames after it) carry. */
  readonly selected: readonly number[];
  readonly chains: readonly ChainStatus[];
  readonly finished: FinishedState | undefined;
  /** A method run's progress and result (absent for NUTS). */
  readonly method?: MethodStatus;
}

/** What arrived since the last event. */
export interface FrameEvent extends TraceSlots {
  readonly type: "frame";
  /** When the oldest draw in this frame reached the server (epoch milliseconds, fractional). */
  readonly oldest: number;
  readonly chains: readonly ChainStatus[];
  /** A method run's progress and result (absent for NUTS). */
  readonly method?: MethodStatus;
}

/** One summary row, named as the summary names its element. */
export interface SummaryEntry extends SummaryRow {
  readonly name: string;
}

/** The marginal of one element: a histogram per chain over common bins, and rank histograms per chain. */
export interface Marginal {
  /** Bin edges (bins + 1). */
  readonly edges: readonly number[];
  /** Per chain, draws per bin. */
  readonly counts: readonly (readonly number[])[];
  /** Per chain, draws per rank bin (ranks over all chains, equal bins). */
  readonly ranks: readonly (readonly number[])[];
}

/** The summary, diagnostics and marginals of the post-warm-up draws so far. */
export interface StatsEvent {
  readonly type: "stats";
  /** Draws per chain the summary used (chains cut to the shortest). */
  readonly drawsPerChain: number;
  /** The chains it used. */
  readonly chainsUsed: readonly number[];
  /** The summary read every `thinned`-th draw (1: all): live summaries read at most 1000 per chain, and the memory limit may thin. */
  readonly thinned: number;
  readonly summary: readonly SummaryEntry[];
  /** The run's warnings in words, as `fit.diagnostics()` gives them (a method run: its result's warnings). */
  readonly warnings: readonly string[];
  /** By element index, for the chosen elements. */
  readonly marginals: Readonly<Record<number, Marginal>>;
}

/** How the run ended. */
export interface FinishedState {
  readonly ok: boolean;
  /** The error, in words, when not ok. */
  readonly message?: string;
}

/** The run ended (all chains done, or an error). */
export interface EndEvent extends FinishedState {
  readonly type: "end";
}

/** Any event of the dashboard's stream. */
export type DashboardEvent = SnapshotEvent | FrameEvent | StatsEvent | EndEvent;
