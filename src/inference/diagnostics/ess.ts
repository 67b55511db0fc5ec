/**
 * Effective sample sizes after Vehtari et al. (2021), as posterior's
 * `ess_bulk`, `ess_tail`, `ess_quantile` and `ess_mean`.
 * @module
 */
import type { Chains } from "./chains.ts";
import { pooled } from "./column.ts";

/**
 * Bulk-ESS: ESS of the rank-normalized split chains. Measures how well the
 * centre of the distribution is sampled, and stays finite for heavy tails.
 *
 * @example
 * ```ts
 * essBulk([chain1, chain2, chain3, chain4]); // e.g. 3812.4
 * ```
 */
export function essBulk(chains: Chains): number {
  return pooled(chains).essBulk();
}

/**
 * Tail-ESS: the smaller of the ESS of the 5 % and 95 % quantiles. Measures
 * how well the tails, and hence intervals, are sampled.
 *
 * @example
 * ```ts
 * essTail([chain1, chain2, chain3, chain4]); // e.g. 2950.1
 * ```
 */
export function essTail(chains: Chains): number {
  return pooled(chains).essTail();
}

/**
 * ESS for the p-quantile: ESS of the split chains of the indicator
 * I(x ≤ q̂ₚ), with q̂ₚ the type-7 quantile of the pooled draws. At p = 1
 * posterior uses (S − 1/2)/S instead, so the indicator is not constant.
 *
 * @example
 * ```ts
 * essQuantile([chain1, chain2], 0.5); // ESS of the median
 * ```
 */
export function essQuantile(chains: Chains, p: number): number {
  return pooled(chains).essQuantile(p);
}

/**
 * ESS for the mean: split chains, no rank normalization (posterior's
 * `ess_mean`, equal to `ess_basic` with splitting). Only meaningful when
 * the mean and variance are finite.
 *
 * @example
 * ```ts
 * essMean([chain1, chain2]); // e.g. 1830.6
 * ```
 */
export function essMean(chains: Chains): number {
  return pooled(chains).essMean();
}
