/**
 * Potential scale reduction R-hat: the classic split form and the
 * rank-normalized, folded form of Vehtari et al. (2021), as posterior's
 * `rhat_basic` and `rhat`.
 * @module
 */
import { type Chains, drawsPerChain, isDegenerate, variance } from "./chains.ts";
import { foldDraws, splitChains, zScale } from "./rank.ts";

/**
 * R-hat of chains as given: √((B/W + N − 1)/N) with B = N·var(chain means)
 * and W the mean within-chain variance. NaN for non-finite or constant
 * draws, and for a single chain (no between-chain variance to compare).
 */
function rhatOfChains(chains: Chains): number {
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

/**
 * Basic R-hat (Gelman et al. 2013), by default of split chains. Prefer
 * {@link rhat}; this one misses differences in scale and heavy tails.
 *
 * @example
 * ```ts
 * rhatBasic([chain1, chain2]); // e.g. 1.0004
 * rhatBasic([chain1, chain2], false); // without splitting
 * ```
 */
export function rhatBasic(chains: Chains, split = true): number {
  return rhatOfChains(split ? splitChains(chains) : chains);
}

/**
 * Rank-normalized split R-hat of the draws (detects differing locations).
 *
 * @example
 * ```ts
 * rhatBulk([chain1, chain2]); // e.g. 1.0011
 * ```
 */
export function rhatBulk(chains: Chains): number {
  return rhatOfChains(zScale(splitChains(chains)));
}

/**
 * Rank-normalized split R-hat of the draws folded around their median
 * (detects differing scales).
 *
 * @example
 * ```ts
 * rhatTail([chain1, chain2]); // e.g. 1.0020
 * ```
 */
export function rhatTail(chains: Chains): number {
  // Fold before splitting: the median is that of all draws, as in posterior.
  return rhatOfChains(zScale(splitChains(foldDraws(chains))));
}

/**
 * R-hat as posterior's `rhat`: the larger of bulk and tail R-hat
 * (Vehtari et al. 2021). Values above 1.01 suggest the chains have not mixed.
 *
 * @example
 * ```ts
 * rhat([chain1, chain2, chain3, chain4]); // e.g. 1.0023
 * ```
 */
export function rhat(chains: Chains): number {
  // Math.max propagates NaN, as R's max does NA.
  return Math.max(rhatBulk(chains), rhatTail(chains));
}
