/**
 * The potential scale reduction of chains as given, the formula every R-hat
 * variant applies after its own splitting and transformation.
 * @module
 */
import { type Chains, drawsPerChain, isDegenerate, variance } from "./chains.ts";

/**
 * R-hat of chains as given: √((B/W + N − 1)/N) with B = N·var(chain means)
 * and W the mean within-chain variance. NaN for non-finite or constant
 * draws, and for a single chain (no between-chain variance to compare).
 *
 * @example
 * ```ts
 * rhatOfChains([[1, 2, 3], [2, 3, 4]]); // 1.0801234497346435
 * ```
 */
export function rhatOfChains(chains: Chains): number {
  const n = drawsPerChain(chains);
  if (isDegenerate(chains)) return NaN;
  const means = new Float64Array(chains.length);
  let w = 0;
  for (let c = 0; c < chains.length; c++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += chains[c][i];
    means[c] = s / n;
    w += variance(chains[c]) / chains.length;
  }
  const b = n * variance(means);
  return Math.sqrt((b / w + n - 1) / n);
}
