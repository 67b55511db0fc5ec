/**
 * posteriordb `gp_pois_regr-gp_regr` (model `gp_regr`): Gaussian-process
 * regression with an exponentiated-quadratic kernel, the latent function
 * integrated out.
 *
 * ρ ~ Gamma(25, 4); α ~ Half-Normal(2); σ ~ Half-Normal(1) (Stan: positive
 * parameters with normal densities); K = k_EQ(x; α, ρ) + σ·I (σ, not σ², as
 * in the Stan model); y ~ MultiNormal(0, K) through L = cholesky(K). d = 3.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import raw from "./data/gp_pois_regr-gp_regr.json" with { type: "json" };

/** The GP data: N = 11 inputs `x`, real responses `y`, counts `k`. */
export interface GpData {
  readonly N: number;
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly k: readonly number[];
}

/** The posterior's data, as posteriordb has it. */
export const data: GpData = raw;

/** GP regression, marginal likelihood. */
export default model((m, d: GpData) => {
  const rho = m.sample("rho", m.gamma(25, 4));
  const alpha = m.sample("alpha", m.halfNormal(2));
  const sigma = m.sample("sigma", m.halfNormal(1));
  const cov = m.addDiag(m.expQuadCov(m.data("x", d.x), alpha, rho), sigma);
  const L = m.cholesky(cov);
  m.observe("y", m.mvNormalCholesky(m.fill(0, [d.N]), L), d.y);
  return { rho, alpha, sigma };
});
