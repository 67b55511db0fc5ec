/**
 * Benchmark `medium` (../shared/benchmarks/stan/medium.stan): two groups
 * with a shared hyperprior and a shared observation noise.
 *
 * ```stan
 * parameters { real mu_global; real<lower=0> sigma_global; real alpha; real beta; real<lower=0> sigma_obs; }
 * model {
 *   mu_global ~ normal(0, 10); sigma_global ~ exponential(1);
 *   alpha ~ normal(mu_global, sigma_global); beta ~ normal(mu_global, sigma_global);
 *   sigma_obs ~ exponential(2);
 *   y_a ~ normal(alpha, sigma_obs); y_b ~ normal(beta, sigma_obs);
 * }
 * ```
 * @module
 */
import { model } from "../src/dsl/model.ts";
import raw from "./data/medium.json" with { type: "json" };

/** The data: 30 observations per group. */
export interface MediumData {
  readonly y_a: readonly number[];
  readonly y_b: readonly number[];
}

/** The model's data (examples/data/medium.json). */
export const data: MediumData = raw;

/** Two groups around a global mean. d = 5. */
export default model((m, d: MediumData) => {
  const mu_global = m.sample("mu_global", m.normal(0, 10));
  const sigma_global = m.sample("sigma_global", m.exponential(1));
  const alpha = m.sample("alpha", m.normal(mu_global, sigma_global));
  const beta = m.sample("beta", m.normal(mu_global, sigma_global));
  const sigma_obs = m.sample("sigma_obs", m.exponential(2));
  m.observe("y_a", m.normal(alpha, sigma_obs), d.y_a);
  m.observe("y_b", m.normal(beta, sigma_obs), d.y_b);
  return { mu_global, sigma_global, alpha, beta, sigma_obs };
});
