/**
 * The transformations of Vehtari et al. (2021) that make R-hat and ESS
 * robust: splitting chains, rank normalization and folding.
 * @module
 */
import quantileNormal from "@stdlib/stats-base-dists-normal-quantile";
import { type Chains, drawsPerChain, pool } from "./chains.ts";
import { median } from "./quantile.ts";

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
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).filter((i) => !Number.isNaN(x[i]));
  // Compare, not subtract: Infinity − Infinity is NaN.
  order.sort((a, b) => (x[a] < x[b] ? -1 : x[a] > x[b] ? 1 : 0));
  const r = new Float64Array(n).fill(NaN);
  for (let i = 0; i < order.length;) {
    let j = i + 1;
    while (j < order.length && x[order[j]] === x[order[i]]) j++;
    // ranks i+1 … j share their mean
    const avg = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) r[order[k]] = avg;
    i = j;
  }
  return r;
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
  const ranks = averageRanks(all);
  const s = all.length;
  const out: Float64Array[] = [];
  for (let c = 0; c < chains.length; c++) {
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) z[i] = quantileNormal((ranks[c * n + i] - 3 / 8) / (s + 1 / 4), 0, 1);
    out.push(z);
  }
  return out;
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
