/**
 * Benchmark `simple` (../shared/benchmarks/stan/simple.stan): the mean and
 * scale of 50 normal observations.
 *
 * ```stan
 * parameters { real mu; real<lower=0> sigma; }
 * model { mu ~ normal(0, 10); sigma ~ exponential(1); y ~ normal(mu, sigma); }
 * ```
 * @module
 */
import { model } from "../src/dsl/model.ts";
import raw from "./data/simple.json" with { type: "json" };

/** The data: 50 observations. */
export interface SimpleData {
  readonly y: readonly number[];
}

/** The model's data (examples/data/simple.json). */
export const data: SimpleData = raw;

/** mu ~ Normal(0, 10); sigma ~ Exponential(1); y ~ Normal(mu, sigma). d = 2. */
export default model((m, d: SimpleData) => {
  const mu = m.sample("mu", m.normal(0, 10));
  const sigma = m.sample("sigma", m.exponential(1));
  m.observe("y", m.normal(mu, sigma), d.y);
  return { mu, sigma };
});
