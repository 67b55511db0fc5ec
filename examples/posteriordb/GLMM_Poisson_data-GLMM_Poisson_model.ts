/**
 * posteriordb `GLMM_Poisson_data-GLMM_Poisson_model` (model
 * `GLMM_Poisson_model`, Kéry & Schaub's BPA book, ch. 4): peregrine counts
 * over n = 40 years, a cubic trend in (standardized) year plus a random
 * year effect. No reference posterior in posteriordb.
 *
 * α ~ Uniform(−20, 20); β₁, β₂, β₃ ~ Uniform(−10, 10); σ ~ Uniform(0, 5)
 * (Stan declares the same bounds, so each prior is flat inside them);
 * ε_t ~ Normal(0, σ); log λ_t = α + β₁·year + β₂·year² + β₃·year³ + ε_t (a
 * transformed parameter: a deterministic); C_t ~ Poisson(exp log λ_t)
 * (Stan's poisson_log). Generated quantity λ = exp(log λ), a deterministic.
 * d = 4 + 40 + 1 = 45.
 *
 * Names are the Stan code's (`beta1`, …); posteriordb's posterior.json
 * lists them as `beta_1`, … .
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import { addAll } from "../lib.ts";
import raw from "./data/GLMM_Poisson_data-GLMM_Poisson_model.json" with { type: "json" };

/** The data: n years, counts C, standardized year. */
export interface GlmmPoissonData {
  readonly n: number;
  readonly C: readonly number[];
  readonly year: readonly number[];
}

/** The posterior's data, as posteriordb has it. */
export const data: GlmmPoissonData = raw;

/** Poisson GLMM with a cubic trend and year effects. */
export default model((m, d: GlmmPoissonData) => {
  const year = m.data("year", d.year);
  const year_squared = m.mul(year, year);
  const year_cubed = m.mul(year_squared, year);

  const alpha = m.sample("alpha", m.uniform(-20, 20));
  const beta1 = m.sample("beta1", m.uniform(-10, 10));
  const beta2 = m.sample("beta2", m.uniform(-10, 10));
  const beta3 = m.sample("beta3", m.uniform(-10, 10));
  const sigma = m.sample("sigma", m.uniform(0, 5));
  const eps = m.sample("eps", m.normal(0, sigma), { shape: [d.n] });
  const log_lambda = m.deterministic(
    "log_lambda",
    addAll(m, [alpha, m.mul(beta1, year), m.mul(beta2, year_squared), m.mul(beta3, year_cubed), eps]),
  );
  m.observe("C", m.poissonLog(log_lambda), d.C);
  const lambda = m.deterministic("lambda", m.exp(log_lambda));
  return { alpha, beta1, beta2, beta3, eps, sigma, log_lambda, lambda };
});
