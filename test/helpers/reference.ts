/**
 * Posterior recovery checks: z-tests of our means and sds against a
 * reference, each with the Monte-Carlo standard errors of both sides,
 * Bonferroni-corrected over every test of the run so that a correct sampler
 * fails a whole run with probability at most `alpha`.
 */
import { readFileSync } from "node:fs";
import quantile from "@stdlib/stats-base-dists-normal-quantile";
import { mcseQuantile } from "../../src/inference/diagnostics/mcse.ts";
import { quantile as sampleQuantile } from "../../src/inference/diagnostics/quantile.ts";
import type { Fit, NamedSummaryRow } from "../../src/fit/fit.ts";

/** A reference summary of one scalar (posterior's or posteriordb's keys). */
export interface RefParam {
  readonly mean: number;
  readonly sd: number;
  readonly mcse_mean?: number;
  readonly mcse_sd?: number;
  readonly ess_bulk?: number;
  readonly q05?: number;
  readonly q95?: number;
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

/** Options of {@link compareToReference}. */
export interface CompareOptions {
  /** Family-wise level (1e-3). */
  readonly alpha?: number;
  /**
   * Draws (one array per chain) of heavy-tailed parameters whose sd cannot
   * be tested: their MCSE of the sd is not estimable (the funnel's x has
   * kurtosis 3e⁹ ≈ 2.4e4). Their 5 % and 95 % quantiles are z-tested
   * instead, with our MCSE of each quantile (the reference's is 0: exact).
   */
  readonly heavyTailed?: Readonly<Record<string, readonly Float64Array[]>>;
}

/**
 * Failures (empty when all pass) of z-tests on mean and sd (or quantiles,
 * see {@link CompareOptions.heavyTailed}) for every reference parameter, at
 * family-wise level `alpha`.
 */
export function compareToReference(
  rows: readonly NamedSummaryRow[],
  ref: Readonly<Record<string, RefParam>>,
  opts: CompareOptions = {},
): string[] {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const names = Object.keys(ref);
  const heavy = opts.heavyTailed ?? {};
  const tests = names.reduce((n, name) => n + (name in heavy ? 3 : 2), 0);
  const zc = bonferroniZ(tests, opts.alpha ?? 1e-3);
  const failures: string[] = [];
  const test = (what: string, ours: number, theirs: number, se: number) => {
    const z = (ours - theirs) / se;
    if (!(Math.abs(z) <= zc)) failures.push(`${what} ${ours} vs ${theirs} (z = ${z.toFixed(2)}, limit ${zc.toFixed(2)})`);
  };
  for (const name of names) {
    const r = ref[name];
    const ours = byName.get(name);
    if (ours === undefined) {
      failures.push(`${name}: not in the fit`);
      continue;
    }
    test(`${name}: mean`, ours.mean, r.mean, Math.hypot(ours.mcse_mean, r.mcse_mean ?? r.sd / Math.sqrt(r.ess_bulk ?? 10_000)));
    const chains = heavy[name];
    if (chains === undefined) {
      test(`${name}: sd`, ours.sd, r.sd, Math.hypot(ours.mcse_sd, refMcseSd(r)));
      continue;
    }
    for (const [p, q] of [
      [0.05, r.q05],
      [0.95, r.q95],
    ] as const) {
      if (q === undefined) throw new Error(`${name}: the reference has no q${p * 100} for a heavy-tailed check`);
      test(`${name}: q${String(p * 100).padStart(2, "0")}`, sampleQuantile(chains, p), q, mcseQuantile(chains, p));
    }
  }
  return failures;
}

/** Stan's long reference run of a benchmark model (test/fixtures/reference/<name>.json), by parameter. */
export function benchmarkReference(name: string): Record<string, RefParam> {
  return JSON.parse(readFileSync(new URL(`../fixtures/reference/${name}.json`, import.meta.url), "utf8")).parameters;
}

/**
 * The draws of the funnel's heavy-tailed elements (every `x`, not `y`), whose
 * sd is set by rare draws deep in the tail: compareToReference tests their
 * quantiles instead (see CompareOptions). Other benchmarks have none.
 */
export function heavyTailedOf(name: string, fit: Pick<Fit, "summary" | "column">): Record<string, Float64Array[]> {
  if (name !== "funnel") return {};
  return Object.fromEntries(
    fit
      .summary()
      .map((r, j) => [r.name, fit.column(j)] as const)
      .filter(([n]) => n !== "y"),
  );
}
