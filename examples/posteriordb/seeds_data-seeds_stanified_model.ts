/**
 * posteriordb `seeds_data-seeds_stanified_model` (model
 * `seeds_stanified_model`, BUGS "Seeds", Crowder 1978): germination of
 * seeds on I = 21 plates, a random-effects logistic regression on seed
 * type x1, root extract x2 and their interaction, "stanified" (σ for τ,
 * narrower priors). No reference posterior in posteriordb.
 *
 * α₀, α₁, α₂, α₁₂ ~ Normal(0, 1); σ ~ Half-Cauchy(1) (Stan: `real<lower=0>
 * sigma` with cauchy(0, 1)); b_i ~ Normal(0, σ);
 * n_i ~ Binomial-logit(N_i, α₀ + α₁·x1_i + α₂·x2_i + α₁₂·x1_i·x2_i + b_i).
 * d = 4 + 21 + 1 = 26.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import { addAll } from "../lib.ts";
import raw from "./data/seeds_data-seeds_stanified_model.json" with { type: "json" };

/** The data: I plates, n germinated of N seeds, seed type x1, root extract x2 (0/1). */
export interface SeedsData {
  readonly I: number;
  readonly n: readonly number[];
  readonly N: readonly number[];
  readonly x1: readonly number[];
  readonly x2: readonly number[];
}

/** The posterior's data, as posteriordb has it. */
export const data: SeedsData = raw;

/** Random-effects logistic regression. */
export default model((m, d: SeedsData) => {
  const x1 = m.data("x1", d.x1);
  const x2 = m.data("x2", d.x2);
  const x1x2 = m.mul(x1, x2);
  const alpha0 = m.sample("alpha0", m.normal(0, 1));
  const alpha1 = m.sample("alpha1", m.normal(0, 1));
  const alpha12 = m.sample("alpha12", m.normal(0, 1));
  const alpha2 = m.sample("alpha2", m.normal(0, 1));
  const sigma = m.sample("sigma", m.halfCauchy(1));
  const b = m.sample("b", m.normal(0, sigma), { shape: [d.I] });
  const eta = addAll(m, [alpha0, m.mul(alpha1, x1), m.mul(alpha2, x2), m.mul(alpha12, x1x2), b]);
  m.observe("n", m.binomialLogit(m.data("N", d.N), eta), d.n);
  return { alpha0, alpha1, alpha12, alpha2, b, sigma };
});
