/**
 * What a report carries: everything its page draws, computed from a run
 * directory on the server side (src/dashboard/report.ts) and embedded in the
 * HTML file as lossless JSON (NaN and ±Infinity survive). The page only
 * draws: every statistic and every bin is computed here, so the report shows
 * what sampo computed, not what a browser recomputed.
 *
 * Draw numbers are 1-based and count post-warm-up draws only. Per-chain
 * plots (traces, ranks, autocorrelation, forest lines, energy) show the
 * first {@link ReportData.plottedChains} chains: a lockstep run's hundreds of
 * chains would be unreadable and make the file huge. Every statistic still
 * uses all chains.
 * @module
 */
import type { SummaryRow } from "../../inference/diagnostics/format.ts";
import type { SummaryEntry } from "./protocol.ts";

/** One labelled setting of the run, as shown in the report's header. */
export interface ReportSetting {
  /** What it is ("warm-up", "max tree depth"). */
  readonly label: string;
  /** Its value, in words or digits. */
  readonly value: string;
}

/** One chain at a glance. */
export interface ReportChain {
  /** 1-based chain number, as in `chain-<k>.csv`. */
  readonly chain: number;
  /** Post-warm-up draws. */
  readonly draws: number;
  /** Divergent transitions after warm-up. */
  readonly divergent: number;
  /** Transitions after warm-up that hit the maximum tree depth. */
  readonly treeDepthHits: number;
  /** Energy Bayesian fraction of missing information (below 0.3 is a problem); NaN when undefined. */
  readonly ebfmi: number;
  /** The adapted step size; NaN when the file does not record it. */
  readonly stepSize: number;
  /** Seconds spent in warm-up and sampling; NaN when the file does not record them. */
  readonly elapsed: number;
}

/** The per-element plots: trace, rank histogram, autocorrelation. */
export interface ReportElement {
  /** Index into {@link ReportData.names} (value order). */
  readonly index: number;
  readonly name: string;
  /** Per plotted chain, every `traceStride`-th draw (draw k·stride + 1 in slot k); NaN for a non-finite draw. */
  readonly trace: readonly (readonly number[])[];
  /** Per plotted chain, draws per rank bin (ranks over all chains pooled, {@link ReportData.rankBins} equal bins). */
  readonly ranks: readonly (readonly number[])[];
  /** Per plotted chain, the autocorrelation at lags 0…{@link ReportData.maxLag}; NaN for a constant chain. */
  readonly autocorr: readonly (readonly number[])[];
  /** This element's value at each of {@link ReportData.divergent} (same order), to mark on the trace. */
  readonly divergentValues: readonly number[];
}

/** A divergent transition after warm-up. */
export interface ReportDivergence {
  readonly chain: number;
  /** Post-warm-up draw number (1-based). */
  readonly draw: number;
}

/** The pair plot's points: draws of all chains pooled, thinned to about 2000, divergent ones all kept (up to 500). */
export interface ReportPairs {
  /** Indices into {@link ReportData.names} of the elements paired (the first of the layout). */
  readonly elements: readonly number[];
  /** Per paired element (same order), its value at each point. */
  readonly values: readonly (readonly number[])[];
  /** Per point, the chain it came from. */
  readonly chain: readonly number[];
  /** Per point, whether its transition diverged. */
  readonly divergent: readonly boolean[];
  /** Every `stride`-th draw of each chain was kept (divergent ones besides). */
  readonly stride: number;
}

/** Posterior intervals of one element for the forest plot. */
export type ReportInterval = Pick<SummaryRow, "mean" | "q05" | "q50" | "q95">;

/** The forest plot: 90% intervals and medians per element, per chain and pooled. */
export interface ReportForest {
  /** Indices into {@link ReportData.names} of the elements shown (the first of the layout). */
  readonly elements: readonly number[];
  /** Per element (same order), per plotted chain. */
  readonly chains: readonly (readonly ReportInterval[])[];
  /** Per element (same order), all chains pooled (as the summary table has them). */
  readonly pooled: readonly ReportInterval[];
  /** Elements left out of the plot (the summary table has them all). */
  readonly omitted: number;
}

/** The energy plot of one chain (Stan's and ArviZ's): is the energy's transition distribution as wide as its marginal? */
export interface ReportEnergy {
  readonly chain: number;
  /** Density of E − mean(E) per bin of {@link ReportData.energyEdges}. */
  readonly marginal: readonly number[];
  /** Density of the first differences ΔE = Eₜ − Eₜ₋₁ per bin of {@link ReportData.energyEdges}. */
  readonly transition: readonly number[];
  /** E-BFMI of the chain; NaN when undefined. */
  readonly ebfmi: number;
}

/** Everything a report shows. */
export interface ReportData {
  /** The run's id (run.json). */
  readonly run: string;
  /** The model's name as the run recorded it (its file). */
  readonly model: string;
  /** When the run started (ISO 8601). */
  readonly created: string;
  /** The sampo version that sampled, and the one that wrote the report. */
  readonly sampoVersion: string;
  readonly reportVersion: string;
  /** The run's settings, in words. */
  readonly settings: readonly ReportSetting[];
  /** Every scalar element's name, in value order, as the summary names it (`theta[1]`). */
  readonly names: readonly string[];
  /** One summary row per element (all of them), exactly as `summarize` computed it. */
  readonly summary: readonly SummaryEntry[];
  /** The run's warnings in words, as `fit.diagnostics()` gives them. */
  readonly warnings: readonly string[];
  /** Per chain (all of them): divergences, tree-depth hits, E-BFMI, step size, time. */
  readonly chains: readonly ReportChain[];
  /** The chains of the per-chain plots: the first ones (chain numbers). */
  readonly plottedChains: readonly number[];
  /** Post-warm-up draws per chain. */
  readonly drawsPerChain: number;
  /** Trace slot k of a chain is its draw k·traceStride + 1. */
  readonly traceStride: number;
  /** Bins of the rank histograms. */
  readonly rankBins: number;
  /** The last lag of the autocorrelations. */
  readonly maxLag: number;
  /** Divergent transitions after warm-up (capped; {@link ReportData.divergentTotal} counts all). */
  readonly divergent: readonly ReportDivergence[];
  readonly divergentTotal: number;
  /** The elements with trace, rank and autocorrelation plots (the first of the layout). */
  readonly elements: readonly ReportElement[];
  /** Elements without those plots (the summary table has them all). */
  readonly elementsOmitted: number;
  /** The pair plot; undefined when the model has a single element. */
  readonly pairs: ReportPairs | undefined;
  readonly forest: ReportForest;
  /** Bin edges shared by every energy histogram (bins + 1). */
  readonly energyEdges: readonly number[];
  /** Per plotted chain. */
  readonly energy: readonly ReportEnergy[];
}
