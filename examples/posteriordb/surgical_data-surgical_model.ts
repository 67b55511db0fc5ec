/**
 * posteriordb `surgical_data-surgical_model` (model `surgical_model`, BUGS
 * "Surgical"): deaths r_i in n_i cardiac operations on infants at N = 12
 * hospitals, random effects on the log-odds of failure. No reference
 * posterior in posteriordb.
 *
 * μ ~ Normal(0, 1000); σ² ~ Inv-Gamma(0.001, 0.001) (Stan's `sigmasq`);
 * σ = √σ² (a transformed parameter); b_i ~ Normal(μ, σ);
 * r_i ~ Binomial-logit(n_i, b_i). Reported as well: p = logit⁻¹(b)
 * (transformed parameter) and pop_mean = logit⁻¹(μ) (generated quantity),
 * deterministics here. d = 1 + 1 + 12 = 14.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import raw from "./data/surgical_data-surgical_model.json" with { type: "json" };

/** The data: N hospitals, n operations, r deaths. */
export interface SurgicalData {
  readonly N: number;
  readonly r: readonly number[];
  readonly n: readonly number[];
}

/** The posterior's data, as posteriordb has it. */
export const data: SurgicalData = raw;

/** Random-effects logistic model of hospital failure rates. */
export default model((m, d: SurgicalData) => {
  const mu = m.sample("mu", m.normal(0, 1000));
  const sigmasq = m.sample("sigmasq", m.inverseGamma(0.001, 0.001));
  const sigma = m.deterministic("sigma", m.sqrt(sigmasq));
  const b = m.sample("b", m.normal(mu, sigma), { shape: [d.N] });
  const p = m.deterministic("p", m.invLogit(b));
  m.observe("r", m.binomialLogit(m.data("n", d.n), b), d.r);
  const pop_mean = m.deterministic("pop_mean", m.invLogit(mu));
  return { mu, sigmasq, b, sigma, p, pop_mean };
});
