/**
 * Eight schools (the benchmark `eight_schools`: same data and priors)
 * written non-centered, as users write it to avoid the funnel:
 *
 * ```stan
 * parameters { real mu; real<lower=0> tau; vector[J] theta_raw; }
 * transformed parameters { vector[J] theta = mu + tau * theta_raw; }
 * model { mu ~ normal(0, 5); tau ~ normal(0, 5); theta_raw ~ normal(0, 1); y ~ normal(theta, sigma); }
 * ```
 *
 * The same posterior of mu, tau and theta as the centered benchmark.
 * @module
 */
import { model } from "../src/dsl/model.ts";
import { data as eightSchools, type EightSchoolsData } from "./eight_schools.ts";

/** The benchmark's data (examples/data/eight_schools.json). */
export const data: EightSchoolsData = eightSchools;

/** Non-centered eight schools. d = 10. */
export default model((m, d: EightSchoolsData) => {
  const J = d.y.length;
  const mu = m.sample("mu", m.normal(0, 5));
  const tau = m.sample("tau", m.halfNormal(5));
  const theta_raw = m.sample("theta_raw", m.normal(0, 1), { shape: [J] });
  const theta = m.deterministic("theta", m.add(mu, m.mul(tau, theta_raw)));
  m.observe("y", m.normal(theta, m.data("sigma", d.sigma)), d.y);
  return { mu, tau, theta_raw, theta };
});
