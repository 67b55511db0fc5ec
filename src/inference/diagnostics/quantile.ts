/**
 * Quantiles of pooled draws by R's default rule (type 7), which posterior's
 * `quantile2` and therefore every reference summary use.
 * @module
 */
import { type Chains, pool } from "./chains.ts";

/**
 * Type-7 quantile of values already sorted ascending: linear interpolation
 * between order statistics at position 1 + (n − 1)p (1-based). NaN for an
 * empty array or p outside [0, 1].
 *
 * @example
 * ```ts
 * quantileSorted([1, 2, 3, 4], 0.5); // 2.5
 * ```
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0 || !(p >= 0 && p <= 1)) return NaN;
  const index = 1 + (n - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const qlo = sorted[lo - 1];
  const qhi = sorted[hi - 1];
  if (!(index > lo) || qhi === qlo) return qlo;
  const h = index - lo;
  // R's exact expression: the rounding decides ties in posterior's x <= q indicators.
  return (1 - h) * qlo + h * qhi;
}

/**
 * Sorted copy of all draws; NaN sorts last (as R's `sort` drops or places it last).
 *
 * @example
 * ```ts
 * sortedDraws([[3, 1], [2, 0]]); // Float64Array [0, 1, 2, 3]
 * ```
 */
export function sortedDraws(chains: Chains): Float64Array {
  // Float64Array.prototype.sort is numeric and puts NaN last.
  return pool(chains).sort();
}

/**
 * Type-7 quantile of the pooled draws of all chains; NaN if any draw is NaN
 * (posterior's `quantile2` with `na.rm = FALSE`).
 *
 * @example
 * ```ts
 * quantile([[1, 2], [3, 4]], 0.05); // 1.15
 * ```
 */
export function quantile(chains: Chains, p: number): number {
  return quantiles(chains, [p])[0];
}

/**
 * Several type-7 quantiles of the pooled draws, sorting once.
 *
 * @example
 * ```ts
 * quantiles([[1, 2], [3, 4]], [0.05, 0.5, 0.95]); // [1.15, 2.5, 3.85] (to rounding)
 * ```
 */
export function quantiles(chains: Chains, probs: readonly number[]): number[] {
  const s = sortedDraws(chains);
  if (s.length > 0 && Number.isNaN(s[s.length - 1])) return probs.map(() => NaN);
  return probs.map((p) => quantileSorted(s, p));
}

/**
 * Median of the pooled draws (type 7 at p = 0.5, the same as R's `median`).
 *
 * @example
 * ```ts
 * median([[1, 5], [2]]); // 2
 * ```
 */
export function median(chains: Chains): number {
  return quantile(chains, 0.5);
}
