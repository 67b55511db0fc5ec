/**
 * Systematic resampling (Kitagawa 1996): one uniform, N evenly spaced
 * pointers into the cumulative weights. Lowest variance of the standard
 * schemes at O(N), as PyMC and BlackJAX default to.
 * @module
 */
import type { Rng } from "../../random/rng.ts";

/**
 * `n` ancestor indices drawn from normalized `weights` (sum 1; zero weights
 * are never drawn), using one uniform of `rng`.
 *
 * @example
 * ```ts
 * systematic(Float64Array.of(0.5, 0, 0.5), 4, new Rng(1)); // e.g. [0, 0, 2, 2]
 * ```
 */
export function systematic(weights: Float64Array, n: number, rng: Rng): Int32Array {
  const out = new Int32Array(n);
  const u = rng.uniform();
  const last = weights.length - 1;
  let lastPositive = last;
  while (lastPositive > 0 && !(weights[lastPositive] > 0)) lastPositive--;
  let i = 0;
  let cum = weights[0];
  for (let k = 0; k < n; k++) {
    const pointer = (k + u) / n;
    while (i < last && (pointer > cum || !(weights[i] > 0))) cum += weights[++i];
    // Rounding can leave the total a hair under 1 and the scan on a trailing zero weight.
    out[k] = weights[i] > 0 ? i : lastPositive;
  }
  return out;
}
