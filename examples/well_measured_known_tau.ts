/**
 * The well-measured groups of `well_measured.ts` with the group scale known
 * (tau = 4), written non-centered with mu first: a Gaussian posterior in
 * closed form, and a partial centering whose best value is known too,
 * λ_j = tau² / (tau² + sigma_j²) (Gorinova et al. 2020, §3).
 *
 * ```stan
 * parameters { real mu; vector[J] theta_raw; }
 * transformed parameters { vector[J] theta = mu + 4 * theta_raw; }
 * model { mu ~ normal(0, 5); theta_raw ~ normal(0, 1); y ~ normal(theta, sigma); }
 * ```
 * @module
 */
import { model } from "../src/dsl/model.ts";
import { data as wellMeasured, type WellMeasuredData } from "./well_measured.ts";

/** The data of `well_measured.ts`. */
export const data: WellMeasuredData = wellMeasured;

/** The known group scale. */
export const TAU = 4;

/** The model, written non-centered. d = 9. */
export default model((m, d: WellMeasuredData) => {
  const mu = m.sample("mu", m.normal(0, 5));
  const theta_raw = m.sample("theta_raw", m.normal(0, 1), { shape: [d.y.length] });
  const theta = m.deterministic("theta", m.add(mu, m.mul(TAU, theta_raw)));
  m.observe("y", m.normal(theta, m.data("sigma", d.sigma)), d.y);
  return { mu, theta_raw, theta };
});
