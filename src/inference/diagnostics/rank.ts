/**
 * The transformations of Vehtari et al. (2021) that make R-hat and ESS
 * robust: splitting chains, rank normalization and folding.
 * @module
 */
import quantileNormal from "@stdlib/stats-base-dists-normal-quantile";
import { type Chains, drawsPerChain, pool } from "./chains.ts";
import { median } from "./quantile.ts";
import { argsort } from "./sort.ts";

/**
 * Splits every chain into its first and second half, doubling the number of
 * chains, so that a trend within a chain shows up as between-chain variance.
 * With an odd number of draws the middle one is dropped; a chain of one draw
 * is left whole (both as posterior's `.split_chains`).
 *
 * @example
 * ```ts
 * splitChains([[1, 2, 3, 4, 5]]); // [Float64Array [1, 2], Float64Array [4, 5]]
 * ```
 */
export function splitChains(chains: Chains): Float64Array[] {
  const n = drawsPerChain(chains);
  if (n === 1) return chains.map((c) => Float64Array.from(c));
  const half = Math.floor(n / 2);
  const firsts = chains.map((c) => Float64Array.from({ length: half }, (_, i) => c[i]));
  const seconds = chains.map((c) => Float64Array.from({ length: half }, (_, i) => c[n - half + i]));
  // posterior binds all first halves, then all second halves; order matters
  // nowhere downstream, but keeping it makes intermediate results comparable.
  return [...firsts, ...seconds];
}

/** The ascending order of `values` (see {@link argsort}), the values in that order, and how many are not NaN (those come first). */
function sortedOf(values: Float64Array): { order: Int32Array; sorted: Float64Array; count: number } {
  const order = argsort(values, new Int32Array(values.length));
  const sorted = Float64Array.from(order, (i) => values[i]);
  let count = values.length;
  while (count > 0 && Number.isNaN(sorted[count - 1])) count--;
  return { order, sorted, count };
}

/**
 * Average ranks of the ascending values `sorted[0 … count − 1]`: `out[k]` is
 * the 1-based rank of `sorted[k]`, ties given the mean of their ranks (R's
 * `ties.method = "average"`). `out` may be `sorted` itself.
 *
 * @example
 * ```ts
 * const out = new Float64Array(4);
 * tieRanks([10, 20, 20, 30], 4, out); // out: [1, 2.5, 2.5, 4]
 * ```
 */
export function tieRanks(sorted: ArrayLike<number>, count: number, out: Float64Array): void {
  for (let i = 0; i < count;) {
    const v = sorted[i];
    let j = i + 1;
    while (j < count && sorted[j] === v) j++;
    // ranks i+1 … j share their mean
    const avg = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) out[k] = avg;
    i = j;
  }
}

/**
 * 1-based ranks with ties given their average rank (R's `ties.method =
 * "average"`), so discrete quantities keep their number of distinct values.
 * NaN values receive NaN.
 *
 * @example
 * ```ts
 * averageRanks([10, 30, 20, 20]); // Float64Array [1, 4, 2.5, 2.5]
 * ```
 */
export function averageRanks(x: ArrayLike<number>): Float64Array {
  const { order, sorted, count } = sortedOf(Float64Array.from(x));
  tieRanks(sorted, count, sorted);
  const r = new Float64Array(order.length).fill(NaN);
  for (let k = 0; k < count; k++) r[order[k]] = sorted[k];
  return r;
}

// Blom's scores of whole ranks for the last sample size: a summary asks for
// the same size column after column, and Φ⁻¹ is the costly step.
let scoreSize = -1;
let wholeRankScores = new Float64Array(0);

/** Φ⁻¹((r − 3/8)/(s + 1/4)) for the ranks r = 1 … count, computed once per s. */
function scoresOfWholeRanks(count: number, s: number): Float64Array {
  if (scoreSize !== s || wholeRankScores.length < count) {
    wholeRankScores = new Float64Array(count);
    for (let r = 1; r <= count; r++) wholeRankScores[r - 1] = quantileNormal((r - 3 / 8) / (s + 1 / 4), 0, 1);
    scoreSize = s;
  }
  return wholeRankScores;
}

/**
 * Rank normalization: `out[order[k]]` = Blom's normal score
 * Φ⁻¹((r − 3/8)/(s + 1/4)) of the rank r = `ranks[k]`, for k < count, s
 * being the number of draws. Other positions of `out` are left as they are.
 *
 * @example
 * ```ts
 * const out = new Float64Array(4);
 * scatterNormalScores(Float64Array.of(1, 2, 3, 4), [3, 2, 1, 0], 4, 4, out); // out: [1.049, 0.299, -0.299, -1.049] (rounded)
 * ```
 */
export function scatterNormalScores(ranks: Float64Array, order: ArrayLike<number>, count: number, s: number, out: Float64Array): void {
  const whole = scoresOfWholeRanks(count, s);
  for (let k = 0; k < count; k++) {
    const r = ranks[k];
    // Ties averaging an even number of ranks land between two whole ranks.
    out[order[k]] = Number.isInteger(r) ? whole[r - 1] : quantileNormal((r - 3 / 8) / (s + 1 / 4), 0, 1);
  }
}

/**
 * Rank normalization: pooled average ranks r of all S draws mapped through
 * Blom's offset (r − 3/8)/(S + 1/4) and the standard normal quantile, keeping
 * the chain structure. Makes R-hat and ESS meaningful for heavy tails and
 * invariant to monotone transformations.
 *
 * @example
 * ```ts
 * zScale([[1, 2], [3, 4]]); // [[-1.049, -0.299], [0.299, 1.049]] (rounded)
 * ```
 */
export function zScale(chains: Chains): Float64Array[] {
  const n = drawsPerChain(chains);
  const all = pool(chains);
  const { order, sorted, count } = sortedOf(all);
  tieRanks(sorted, count, sorted);
  const z = new Float64Array(all.length).fill(NaN);
  scatterNormalScores(sorted, order, count, all.length, z);
  return chains.map((_, c) => z.subarray(c * n, (c + 1) * n));
}

/**
 * Folds draws around their pooled median, |x − median|, so that R-hat of
 * the folded draws detects chains that differ in scale rather than location.
 *
 * @example
 * ```ts
 * foldDraws([[1, 2], [3, 10]]); // [Float64Array [1.5, 0.5], Float64Array [0.5, 7.5]]
 * ```
 */
export function foldDraws(chains: Chains): Float64Array[] {
  const m = median(chains);
  return chains.map((c) => Float64Array.from(c, (x) => Math.abs(x - m)));
}

/**
 * The folded draws |x − m| in ascending order, from draws sorted ascending:
 * `folded[k]` is the k-th smallest and `foldOrder[k]` is `order` at its
 * sorted position. Folding reverses the order below `median` and keeps it
 * above, so this merges the two sides walking outwards, in linear time;
 * below the median |x − m| is m − x exactly, as subtraction is symmetric.
 *
 * @example
 * ```ts
 * const folded = new Float64Array(4);
 * const foldOrder = new Int32Array(4);
 * foldSorted([1, 2, 3, 10], [0, 1, 2, 3], 4, 2.5, folded, foldOrder); // folded: [0.5, 0.5, 1.5, 7.5], foldOrder: [1, 2, 0, 3]
 * ```
 */
export function foldSorted(
  sorted: ArrayLike<number>,
  order: ArrayLike<number>,
  count: number,
  median: number,
  folded: Float64Array,
  foldOrder: Int32Array,
): void {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < median) lo = mid + 1;
    else hi = mid;
  }
  let left = lo - 1;
  let right = lo;
  // One loop, sides past their end reading as +∞: code after a hot loop that
  // its first run never reached would deoptimize on every later call.
  for (let k = 0; k < count; k++) {
    const below = left >= 0 ? median - sorted[left] : Infinity;
    const above = right < count ? sorted[right] - median : Infinity;
    if (left >= 0 && below <= above) {
      folded[k] = below;
      foldOrder[k] = order[left--];
    } else {
      folded[k] = above;
      foldOrder[k] = order[right++];
    }
  }
}
