/**
 * `compare`: models ranked by their expected log predictive density, as the
 * R package loo's `loo_compare`.
 * @module
 */
import { looCompare, type LooCompareRow, type LooResult } from "../inference/diagnostics/loo.ts";

/** What compare needs of a fit: its PSIS-LOO (every `Fit` and `MethodFit` has it). */
export interface Comparable {
  loo(): LooResult;
}

/**
 * Ranks fits of models of the same data by PSIS-LOO (best first): each
 * row's `elpdDiff` is its elpd_loo minus the best one's, `seDiff` the
 * standard error of that difference from the pointwise differences.
 *
 * @param fits Named fits, or a list (named `model1`, `model2`, … as loo does).
 * @throws Error when the fits have different numbers of observations.
 *
 * @example
 * ```ts
 * const nuts = await sample(eightSchools, data, { seed: 1, chains: 2, draws: 300, warmup: 300 });
 * const vi = await advi(eightSchools, data, { seed: 1 });
 * const rows = compare({ nuts, vi });
 * rows[0].name;   // the model with the best expected log predictive density
 * ```
 */
export function compare(fits: Readonly<Record<string, Comparable>> | readonly Comparable[]): readonly LooCompareRow[] {
  const named: [string, Comparable][] = Array.isArray(fits)
    ? (fits as readonly Comparable[]).map((f, i) => [`model${i + 1}`, f])
    : Object.entries(fits as Readonly<Record<string, Comparable>>);
  return looCompare(Object.fromEntries(named.map(([name, fit]) => [name, fit.loo()])));
}
