/**
 * Posterior recovery checks: z-tests of our means and sds against a
 * reference, each with the Monte-Carlo standard errors of both sides,
 * Bonferroni-corrected over every test of the run so that a correct sampler
 * fails a whole run with probability at most `alpha`.
 */
import quantile from "@stdlib/stats-base-dists-normal-quantile";
import type { NamedSummaryRow } from "../../src/inference/fit.ts";

/** A reference summary of one scalar (posterior's or posteriordb's keys). */
export interface RefParam {
  readonly mean: number;
  readonly sd: number;
  readonly mcse_mean?: number;
  readonly mcse_sd?: number;
  readonly ess_bulk?: number;
}

/** The two-sided critical |z| for `tests` simultaneous tests at family-wise level `alpha`. */
export function bonferroniZ(tests: number, alpha: number): number {
  return quantile(1 - alpha / (2 * tests), 0, 1);
}

/**
 * MCSE of a reference sd where the reference gives none (posteriordb):
 * sd / √(2 ESS), exact for a normal posterior, taken with the reference's
 * bulk ESS (or its draw count, 10,000, when missing: the smallest error, so
 * the strictest test).
 */
function refMcseSd(r: RefParam): number {
  return r.mcse_sd ?? r.sd / Math.sqrt(2 * (r.ess_bulk ?? 10_000));
}

/**
 * Failures (empty when all pass) of z-tests on mean and sd for every
 * reference parameter, at family-wise level `alpha` (default 1e-3).
 */
export function compareToReference(rows: readonly NamedSummaryRow[], ref: Readonly<Record<string, RefParam>>, alpha = 1e-3): string[] {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const names = Object.keys(ref);
  const zc = bonferroniZ(2 * names.length, alpha);
  const failures: string[] = [];
  for (const name of names) {
    const r = ref[name];
    const ours = byName.get(name);
    if (ours === undefined) {
      failures.push(`${name}: not in the fit`);
      continue;
    }
    const zMean = (ours.mean - r.mean) / Math.hypot(ours.mcse_mean, r.mcse_mean ?? r.sd / Math.sqrt(r.ess_bulk ?? 10_000));
    const zSd = (ours.sd - r.sd) / Math.hypot(ours.mcse_sd, refMcseSd(r));
    if (!(Math.abs(zMean) <= zc)) failures.push(`${name}: mean ${ours.mean} vs ${r.mean} (z = ${zMean.toFixed(2)}, limit ${zc.toFixed(2)})`);
    if (!(Math.abs(zSd) <= zc)) failures.push(`${name}: sd ${ours.sd} vs ${r.sd} (z = ${zSd.toFixed(2)}, limit ${zc.toFixed(2)})`);
  }
  return failures;
}
