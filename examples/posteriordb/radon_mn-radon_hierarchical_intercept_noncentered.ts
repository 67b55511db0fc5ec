/**
 * posteriordb `radon_mn-radon_hierarchical_intercept_noncentered` (model
 * `radon_hierarchical_intercept_noncentered`): the radon county-intercept
 * model of `radon_mn-radon_hierarchical_intercept_centered`,
 * non-centered. No reference posterior in posteriordb.
 *
 * σ_α, σ_y ~ Half-Normal(1); μ_α ~ Normal(0, 10); β ~ Normal(0, 10) (2);
 * α_raw ~ Normal(0, 1) (85); α = μ_α + σ_α·α_raw (a transformed
 * parameter: a deterministic, reported as posteriordb lists it);
 * log_radon_n ~ Normal(α[county_n] + β₁·log_uppm_n + β₂·floor_n, σ_y).
 * d = 85 + 2 + 3 = 90.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import raw from "./data/radon_mn-radon_hierarchical_intercept_noncentered.json" with { type: "json" };
import { radonMean, type RadonData } from "./radon_mn-radon_hierarchical_intercept_centered.ts";

/** The posterior's data, as posteriordb has it. */
export const data: RadonData = raw;

/** Non-centered county intercepts. */
export default model((m, d: RadonData) => {
  const alpha_raw = m.sample("alpha_raw", m.normal(0, 1), { shape: [d.J] });
  const beta = m.sample("beta", m.normal(0, 10), { shape: [2] });
  const mu_alpha = m.sample("mu_alpha", m.normal(0, 10));
  const sigma_alpha = m.sample("sigma_alpha", m.halfNormal(1));
  const sigma_y = m.sample("sigma_y", m.halfNormal(1));
  const alpha = m.deterministic("alpha", m.add(mu_alpha, m.mul(sigma_alpha, alpha_raw)));
  m.observe("log_radon", m.normal(radonMean(m, d, alpha, beta), sigma_y), d.log_radon);
  return { alpha_raw, beta, mu_alpha, sigma_alpha, sigma_y, alpha };
});
