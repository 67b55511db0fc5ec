/**
 * Benchmark `stress` (../shared/benchmarks/stan/stress.stan): three groups,
 * each with its own mean and noise, written as eight scalar sites (as the
 * Stan model is), so that per-site overhead shows.
 *
 * ```stan
 * parameters { real mu_pop; real<lower=0> sigma_pop; real group_1; real group_2; real group_3;
 *              real<lower=0> noise_1; real<lower=0> noise_2; real<lower=0> noise_3; }
 * model {
 *   mu_pop ~ normal(0, 10); sigma_pop ~ exponential(0.5);
 *   group_j ~ normal(mu_pop, sigma_pop);   // j = 1, 2, 3
 *   noise_j ~ exponential(1);
 *   y_j ~ normal(group_j, noise_j);
 * }
 * ```
 * @module
 */
import { model } from "../src/dsl/model.ts";
import raw from "./data/stress.json" with { type: "json" };

/** The data: 40 observations per group. */
export interface StressData {
  readonly y_1: readonly number[];
  readonly y_2: readonly number[];
  readonly y_3: readonly number[];
}

/** The model's data (examples/data/stress.json). */
export const data: StressData = raw;

/** Three groups, eight scalar parameters, in Stan's order. d = 8. */
export default model((m, d: StressData) => {
  const mu_pop = m.sample("mu_pop", m.normal(0, 10));
  const sigma_pop = m.sample("sigma_pop", m.exponential(0.5));
  const group_1 = m.sample("group_1", m.normal(mu_pop, sigma_pop));
  const group_2 = m.sample("group_2", m.normal(mu_pop, sigma_pop));
  const group_3 = m.sample("group_3", m.normal(mu_pop, sigma_pop));
  const noise_1 = m.sample("noise_1", m.exponential(1));
  const noise_2 = m.sample("noise_2", m.exponential(1));
  const noise_3 = m.sample("noise_3", m.exponential(1));
  m.observe("y_1", m.normal(group_1, noise_1), d.y_1);
  m.observe("y_2", m.normal(group_2, noise_2), d.y_2);
  m.observe("y_3", m.normal(group_3, noise_3), d.y_3);
  return { mu_pop, sigma_pop, group_1, group_2, group_3, noise_1, noise_2, noise_3 };
});
