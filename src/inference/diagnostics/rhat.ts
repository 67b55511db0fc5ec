/**
 * Potential scale reduction R-hat: the classic split form and the
 * rank-normalized, folded form of Vehtari et al. (2021), as posterior's
 * `rhat_basic` and `rhat`.
 * @module
 */
import type { Chains } from "./chains.ts";
import { pooled } from "./column.ts";
import { splitChains } from "./rank.ts";
import { rhatOfChains } from "./scaleReduction.ts";

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
  return pooled(chains).rhatBulk();
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
  return pooled(chains).rhatTail();
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
  return pooled(chains).rhat();
}
