/**
 * A hierarchical normal model with a few well-measured groups, written
 * non-centered: three groups are measured to ±0.05–0.1, five to ±8–18. The
 * parameters come in Stan's usual order, the standard normals first.
 *
 * ```stan
 * parameters { vector[J] theta_raw; real mu; real<lower=0> tau; }
 * transformed parameters { vector[J] theta = mu + tau * theta_raw; }
 * model { theta_raw ~ normal(0, 1); mu ~ normal(0, 5); tau ~ normal(0, 5); y ~ normal(theta, sigma); }
 * ```
 *
 * Sampled as written, the well-measured groups pin mu + tau · theta_raw, a
 * narrow ridge in (mu, tau, theta_raw) that NUTS crosses in tiny steps;
 * centered there, each is one well-scaled coordinate.
 * @module
 */
import { model } from "../src/dsl/model.ts";

/** Estimates `y` and their standard errors `sigma`, one per group. */
export interface WellMeasuredData {
  readonly y: readonly number[];
  readonly sigma: readonly number[];
}

/** J = 8 groups, the first three well measured. */
export const data: WellMeasuredData = {
  y: [-3.1, 2.4, 5.2, 7, -1, 1, 18, 12],
  sigma: [0.05, 0.1, 0.05, 11, 9, 12, 10, 18],
};

/** The model, written non-centered. d = 10. */
export default model((m, d: WellMeasuredData) => {
  const theta_raw = m.sample("theta_raw", m.normal(0, 1), { shape: [d.y.length] });
  const mu = m.sample("mu", m.normal(0, 5));
  const tau = m.sample("tau", m.halfNormal(5));
  const theta = m.deterministic("theta", m.add(mu, m.mul(tau, theta_raw)));
  m.observe("y", m.normal(theta, m.data("sigma", d.sigma)), d.y);
  return { theta_raw, mu, tau, theta };
});
