/**
 * One chain's draws as growable typed columns, appended draw by draw: what
 * a run's collector and the dashboard's draw store both keep. A store into
 * a typed column costs less than pushing onto an array, and the columns
 * become a fit's without conversion.
 * @module
 */
import { type ChainDraws, type DrawStats, STAT_NAMES, writeStats } from "../inference/draws.ts";

/** Draws a chain's columns first have room for, unless told how many to expect; they double as needed. */
const INITIAL_CAPACITY = 64;
/** Numbers a chain's columns are given room for up front at most (256 MB), however many draws are expected. */
const MAX_UP_FRONT = 2 ** 25;

/** A chain's columns: `size` of values, then one per statistic in {@link STAT_NAMES} order. */
export class DrawColumns {
  /** Draws stored. */
  length = 0;
  /** The columns, each with room for more draws than {@link length}. */
  columns: Float64Array[];
  /** A draw's statistics as numbers, on their way into the columns. */
  private readonly row = new Float64Array(STAT_NAMES.length);

  /**
   * @param size Values per draw.
   * @param expected Draws expected: room for them is made at once (up to
   *   256 MB), rather than copied column by column each time it doubles.
   */
  constructor(
    readonly size: number,
    expected = 0,
  ) {
    const width = size + STAT_NAMES.length;
    const capacity = Math.max(INITIAL_CAPACITY, Math.min(expected, Math.floor(MAX_UP_FRONT / width)));
    this.columns = Array.from({ length: width }, () => new Float64Array(capacity));
  }

  /** Appends a draw. */
  push(values: ArrayLike<number>, stats: DrawStats): void {
    if (this.length === this.columns[0].length) {
      this.columns = this.columns.map((c) => {
        const grown = new Float64Array(2 * c.length);
        grown.set(c);
        return grown;
      });
    }
    const cols = this.columns;
    const at = this.length++;
    const size = this.size;
    for (let j = 0; j < size; j++) cols[j][at] = values[j];
    writeStats(stats, this.row, 0);
    for (let k = 0; k < STAT_NAMES.length; k++) cols[size + k][at] = this.row[k];
  }

  /** The values' columns and the statistics by name, each through `take` (a view, a copy, a thinning) of its full column. */
  draws(take: (column: Float64Array) => Float64Array): Pick<ChainDraws, "values" | "stats"> {
    const { size } = this;
    return {
      values: this.columns.slice(0, size).map(take),
      stats: Object.fromEntries(STAT_NAMES.map((s, i) => [s, take(this.columns[size + i])])) as unknown as ChainDraws["stats"],
    };
  }
}
