/**
 * Benchmark `eight_schools` (../shared/benchmarks/stan/eight_schools.stan),
 * the centered parameterization, funnel and all.
 *
 * ```stan
 * parameters { real mu; real<lower=0> tau; vector[J] theta; }
 * model { mu ~ normal(0, 5); tau ~ normal(0, 5); theta ~ normal(mu, tau); y ~ normal(theta, sigma); }
 * ```
 *
 * Stan's `tau ~ normal(0, 5)` on `real<lower=0> tau` is a half-normal (the
 * same density up to the constant log 2).
 * @module
 */
import { model } from "../src/dsl/model.ts";
import raw from "./data/eight_schools.json" with { type: "json" };

/** The data: estimated effects `y` and their standard errors `sigma`, J = 8. */
export interface EightSchoolsData {
  readonly y: readonly number[];
  readonly sigma: readonly number[];
}

/** The model's data (examples/data/eight_schools.json). */
export const data: EightSchoolsData = raw;

/** Centered eight schools. d = 10. */
export default model((m, d: EightSchoolsData) => {
  const J = d.y.length;
  const mu = m.sample("mu", m.normal(0, 5));
  const tau = m.sample("tau", m.halfNormal(5));
  const theta = m.sample("theta", m.normal(mu, tau), { shape: [J] });
  m.observe("y", m.normal(theta, m.data("sigma", d.sigma)), d.y);
  return { mu, tau, theta };
});
