/**
 * What a chain produces, as every consumer (summaries, Stan CSV files, the
 * Fit) reads it: per-draw sampler statistics and constrained values in the
 * value layout of the compiled density (parameters, then deterministics).
 * @module
 */
/** The sampler statistics of one draw, named as in the draw message. */
export interface DrawStats {
  /** log p at the draw, as the density computes it (unconstrained, with Jacobian). */
  readonly lp: number;
  readonly acceptStat: number;
  readonly stepSize: number;
  readonly treeDepth: number;
  readonly nLeapfrog: number;
  readonly divergent: boolean;
  readonly energy: number;
  /**
   * Evaluations whose density threw or was not finite: the trajectory's
   * leaves (each counted as a divergence of that leaf), and those of the
   * initial points and the step-size search since the previous draw.
   */
  readonly recovered: number;
}

/** The names of {@link DrawStats}, in the order of Stan's CSV columns (recovered last, not in Stan's files). */
export const STAT_NAMES = ["lp", "acceptStat", "stepSize", "treeDepth", "nLeapfrog", "divergent", "energy", "recovered"] as const;

/** The adaptation a chain ended warm-up with. */
export interface Adaptation {
  readonly stepSize: number;
  /** The inverse metric: its diagonal, or the dense matrix row by row. */
  readonly invMetric: readonly number[] | readonly (readonly number[])[];
}

/** The draws of one chain, column by column. */
export interface ChainDraws {
  /** 1-based, as in `chain-<k>.csv`. */
  readonly chain: number;
  /** Number of saved warm-up draws (they come first in every column). */
  readonly warmup: number;
  /** Number of draws after warm-up. */
  readonly draws: number;
  /** One column per statistic, warmup + draws long. */
  readonly stats: { readonly [K in keyof DrawStats]: Float64Array };
  /** One column per element of the value layout (row-major within a site), warmup + draws long. */
  readonly values: readonly Float64Array[];
  readonly adaptation?: Adaptation;
  /** Seconds spent in warm-up and in sampling. */
  readonly elapsed?: { readonly warmup: number; readonly sampling: number };
}
