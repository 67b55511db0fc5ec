/**
 * Benchmark `logistic` (../shared/benchmarks/stan/logistic.stan): logistic
 * regression, n = 500, p = 20 (synthetic data, fixed seed).
 *
 * ```stan
 * parameters { real alpha; vector[K] beta; }
 * model { alpha ~ normal(0, 10); beta ~ normal(0, 10); y ~ bernoulli_logit(alpha + X * beta); }
 * ```
 * @module
 */
import { model } from "../src/dsl/model.ts";
import raw from "./data/logistic.json" with { type: "json" };

/** The data: design matrix `X` (N rows of K) and outcomes `y` in {0, 1}. */
export interface LogisticData {
  readonly X: readonly (readonly number[])[];
  readonly y: readonly number[];
}

/** The model's data (examples/data/logistic.json). */
export const data: LogisticData = raw;

/** Logistic regression. d = 21. */
export default model((m, d: LogisticData) => {
  const K = d.X[0].length;
  const X = m.data("X", d.X);
  const alpha = m.sample("alpha", m.normal(0, 10));
  const beta = m.sample("beta", m.normal(0, 10), { shape: [K] });
  m.observe("y", m.bernoulliLogit(m.add(alpha, m.matmul(X, beta))), d.y);
  return { alpha, beta };
});
