/**
 * posteriordb `low_dim_gauss_mix-low_dim_gauss_mix` (model
 * `low_dim_gauss_mix`): a two-component normal mixture.
 *
 * μ ordered (μ₁ < μ₂), μ ~ Normal(0, 2); σ₁, σ₂ > 0 with Normal(0, 2)
 * densities (half-normal); θ ~ Beta(5, 5);
 * y_n ~ θ·Normal(μ₁, σ₁) + (1 − θ)·Normal(μ₂, σ₂) (Stan's log_mix). d = 5.
 *
 * `μ` is sampled with the `ordered` transform and its Normal(0, 2) prior,
 * as Stan does (the density is then Stan's up to a constant).
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import raw from "./data/low_dim_gauss_mix-low_dim_gauss_mix.json" with { type: "json" };

/** The data (N = 1000). */
export interface GaussMixData {
  readonly N: number;
  readonly y: readonly number[];
}

/** The posterior's data, as posteriordb has it. */
export const data: GaussMixData = raw;

/** Two-component normal mixture. */
export default model((m, d: GaussMixData) => {
  const mu = m.sample("mu", m.normal(0, 2), { shape: [2], transform: "ordered" });
  const sigma = m.sample("sigma", m.halfNormal(2), { shape: [2] });
  const theta = m.sample("theta", m.beta(5, 5));
  const weights = m.stack([theta, m.sub(1, theta)]);
  const components = [m.normal(m.at(mu, 0), m.at(sigma, 0)), m.normal(m.at(mu, 1), m.at(sigma, 1))];
  m.observe("y", m.mixture(weights, components), d.y);
  return { mu, sigma, theta };
});
