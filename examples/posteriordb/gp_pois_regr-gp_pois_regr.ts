/**
 * posteriordb `gp_pois_regr-gp_pois_regr` (model `gp_pois_regr`): a latent
 * Gaussian process with Poisson counts, non-centered.
 *
 * ρ ~ Gamma(25, 4); α ~ Half-Normal(2); f̃ ~ Normal(0, 1) (N of them);
 * f = L f̃ with L = cholesky(k_EQ(x; α, ρ) + 10⁻¹⁰·I) (a transformed
 * parameter: a deterministic here); k ~ Poisson(exp f). d = 2 + 11 = 13.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import raw from "./data/gp_pois_regr-gp_pois_regr.json" with { type: "json" };
import type { GpData } from "./gp_pois_regr-gp_regr.ts";

/** The posterior's data, as posteriordb has it. */
export const data: GpData = raw;

/** Latent GP, Poisson likelihood. */
export default model((m, d: GpData) => {
  const rho = m.sample("rho", m.gamma(25, 4));
  const alpha = m.sample("alpha", m.halfNormal(2));
  const f_tilde = m.sample("f_tilde", m.normal(0, 1), { shape: [d.N] });
  const L = m.cholesky(m.addDiag(m.expQuadCov(m.data("x", d.x), alpha, rho), 1e-10));
  const f = m.deterministic("f", m.matmul(L, f_tilde));
  m.observe("k", m.poissonLog(f), d.k);
  return { rho, alpha, f_tilde, f };
});
