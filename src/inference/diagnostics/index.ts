/**
 * MCMC convergence diagnostics after Vehtari, Gelman, Simpson, Carpenter and
 * Bürkner (2021), "Rank-normalization, folding, and localization", matching
 * the R package posterior (1.4). Every function takes one quantity's draws as
 * chains × draws (`readonly ArrayLike<number>[]`, equal lengths) and returns a
 * plain number, NaN where posterior returns NA.
 *
 * @example
 * ```ts
 * const { essBulk, rhat } = diagnostics; // the package root exports this module as `diagnostics`
 * const chains = [chain1, chain2, chain3, chain4];
 * rhat(chains) < 1.01 && essBulk(chains) > 400;
 * ```
 * @module
 */
export type { Chains } from "./chains.ts";
export { autocovariance } from "./autocov.ts";
export { essGeyer } from "./geyer.ts";
export { averageRanks, foldDraws, splitChains, zScale } from "./rank.ts";
export { essBulk, essMean, essQuantile, essTail } from "./ess.ts";
export { rhat, rhatBasic, rhatBulk, rhatTail } from "./rhat.ts";
export { mcseMean, mcseQuantile, mcseSd } from "./mcse.ts";
export { median, quantile, quantiles, quantileSorted } from "./quantile.ts";
export { ebfmi } from "./ebfmi.ts";
export { formatSummaryTable, summarizeColumn } from "./summary.ts";
export type { SummaryRow } from "./format.ts";
export { gpdFit, khatVerdict, psis, PsisInputError } from "./psis.ts";
export type { PsisResult } from "./psis.ts";
export { loo, looCompare, relativeEff, waic } from "./loo.ts";
export type { LooCompareRow, LooResult, Verdict, WaicResult } from "./loo.ts";
