/**
 * Honest errors for SMC estimates from independent runs: particles within a
 * run share ancestors, so the spread of per-run estimates, not the particle
 * count, gives the Monte-Carlo error; with R runs it is known to R − 1
 * degrees of freedom, so limits are Student-t quantiles.
 */
import tCdf from "@stdlib/stats-base-dists-t-cdf";

/** The p-quantile of Student's t with `df` degrees of freedom (bisection on the CDF, to 1e-10). */
export function tQuantile(p: number, df: number): number {
  let lo = 0;
  let hi = 1e4;
  while (hi - lo > 1e-10) {
    const mid = 0.5 * (lo + hi);
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Mean and standard error (sd / √R) of per-run estimates. */
export function acrossRuns(values: readonly number[]): { mean: number; se: number } {
  const r = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / r;
  const v = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (r - 1);
  return { mean, se: Math.sqrt(v / r) };
}

/**
 * The |t| limit for `tests` simultaneous two-sided tests at family-wise level
 * `alpha` (Bonferroni) from `runs` runs.
 */
export function tLimit(runs: number, tests: number, alpha: number): number {
  return tQuantile(1 - alpha / (2 * tests), runs - 1);
}
