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

/**
 * Writes a draw's statistics as numbers at `out[at]` onwards, in
 * {@link STAT_NAMES} order (divergent as 0 or 1). Field by field, not a loop
 * over the names: this runs for every draw, and a loop's keyed reads cost
 * several times as much.
 */
export function writeStats(stats: DrawStats, out: { [i: number]: number }, at: number): void {
  out[at] = stats.lp;
  out[at + 1] = stats.acceptStat;
  out[at + 2] = stats.stepSize;
  out[at + 3] = stats.treeDepth;
  out[at + 4] = stats.nLeapfrog;
  out[at + 5] = stats.divergent ? 1 : 0;
  out[at + 6] = stats.energy;
  out[at + 7] = stats.recovered;
}

/** The statistics {@link writeStats} wrote at `row[at]` onwards. */
export function readStats(row: ArrayLike<number>, at: number): DrawStats {
  return {
    lp: row[at],
    acceptStat: row[at + 1],
    stepSize: row[at + 2],
    treeDepth: row[at + 3],
    nLeapfrog: row[at + 4],
    divergent: row[at + 5] === 1,
    energy: row[at + 6],
    recovered: row[at + 7],
  };
}

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
