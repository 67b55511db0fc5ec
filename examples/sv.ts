/**
 * Benchmark `sv` (../shared/benchmarks/stan/sv.stan): stochastic volatility
 * with Student-t returns, T = 100.
 *
 * ```stan
 * parameters { real<lower=0> sigma; real<lower=0> nu; vector[T] s; }
 * model {
 *   sigma ~ exponential(50); nu ~ exponential(0.1);
 *   s[1] ~ normal(0, sigma); s[2:T] ~ normal(s[1:(T - 1)], sigma);
 *   returns ~ student_t(nu, 0, exp(s));
 * }
 * ```
 *
 * The two statements on `s` are exactly a Gaussian random walk started at
 * 0, whose density the family computes vectorized (first point, then the
 * increments `s[2:T] − s[1:T−1]`, by slicing).
 * @module
 */
import { model } from "../src/dsl/model.ts";
import raw from "./data/sv.json" with { type: "json" };

/** The data: T = 100 returns. */
export interface SvData {
  readonly returns: readonly number[];
}

/** The model's data (examples/data/sv.json). */
export const data: SvData = raw;

/** Stochastic volatility. d = 102. */
export default model((m, d: SvData) => {
  const T = d.returns.length;
  const sigma = m.sample("sigma", m.exponential(50));
  const nu = m.sample("nu", m.exponential(0.1));
  const s = m.sample("s", m.gaussianRandomWalk(sigma, T));
  m.observe("returns", m.studentT(nu, 0, m.exp(s)), d.returns);
  return { sigma, nu, s };
});
