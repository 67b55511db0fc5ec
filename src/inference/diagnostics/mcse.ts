/**
 * Monte Carlo standard errors of the mean, the standard deviation and
 * quantiles, as posterior 1.4's `mcse_mean`, `mcse_sd` and `mcse_quantile`.
 * @module
 */
import quantileBeta from "@stdlib/stats-base-dists-beta-quantile";
import type { Chains } from "./chains.ts";
import { pooled } from "./column.ts";

/**
 * MCSE of the mean: sd / √ESS_mean, with the sd of all draws.
 *
 * @example
 * ```ts
 * mcseMean([chain1, chain2]); // e.g. 0.021
 * ```
 */
export function mcseMean(chains: Chains): number {
  return pooled(chains).mcseMean();
}

/**
 * MCSE of the standard deviation without assuming normality (posterior ≥
 * 1.2.2, so 1.4): the variance of the variance estimate (μ₄ − μ₂²)/ESS from
 * moments (Kenney and Keeping 1951), carried to the sd by the delta method,
 * Var(sd) ≈ Var(var)/(4μ₂). ESS is that of the squared centred draws, the
 * quantity the variance averages.
 *
 * @example
 * ```ts
 * mcseSd([chain1, chain2]); // e.g. 0.017
 * ```
 */
export function mcseSd(chains: Chains): number {
  return pooled(chains).mcseSd();
}

// Normal probabilities of ±1 sd, posterior's constants (to its 7 digits).
const LOWER = 0.1586553;
const UPPER = 0.8413447;

/**
 * MCSE of the p-quantile: half the width of the ±1 sd interval of the
 * quantile, read off the sorted draws at the ranks given by the
 * Beta(ESS·p + 1, ESS·(1 − p) + 1) distribution of the quantile's rank,
 * ESS being that of the quantile. Needs no density estimate.
 *
 * @example
 * ```ts
 * mcseQuantile([chain1, chain2], 0.05); // e.g. 0.06
 * ```
 */
export function mcseQuantile(chains: Chains, p: number): number {
  const column = pooled(chains);
  const ess = column.essQuantile(p);
  if (Number.isNaN(ess)) return NaN;
  const a1 = quantileBeta(LOWER, ess * p + 1, ess * (1 - p) + 1);
  const a2 = quantileBeta(UPPER, ess * p + 1, ess * (1 - p) + 1);
  const sorted = column.sortedDraws();
  const s = sorted.length;
  // 1-based ranks clamped to the sample, as posterior indexes ssims.
  const th1 = sorted[Math.max(Math.floor(a1 * s), 1) - 1];
  const th2 = sorted[Math.min(Math.ceil(a2 * s), s) - 1];
  return (th2 - th1) / 2;
}
