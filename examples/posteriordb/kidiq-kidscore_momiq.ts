/**
 * posteriordb `kidiq-kidscore_momiq` (model `kidscore_momiq`, ARM book):
 * a child's test score regressed on the mother's IQ.
 *
 * kid_score ~ Normal(β₁ + β₂·mom_iq, σ); σ ~ Half-Cauchy(0, 2.5) (Stan:
 * `real<lower=0> sigma; sigma ~ cauchy(0, 2.5)`, the same density up to a
 * constant); β has Stan's improper flat prior. d = 3.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import raw from "./data/kidiq-kidscore_momiq.json" with { type: "json" };

/** The kidiq data (N = 434; `mom_hs_new`, `mom_iq_new` are for prediction and unused). */
export interface KidiqData {
  readonly N: number;
  readonly kid_score: readonly number[];
  readonly mom_hs: readonly number[];
  readonly mom_iq: readonly number[];
}

/** The posterior's data, as posteriordb has it. */
export const data: KidiqData = raw;

/** Linear regression of kid_score on mom_iq. */
export default model((m, d: KidiqData) => {
  const beta = m.sample("beta", m.flat(), { shape: [2] });
  const sigma = m.sample("sigma", m.halfCauchy(2.5));
  const mom_iq = m.data("mom_iq", d.mom_iq);
  m.observe("kid_score", m.normal(m.add(m.at(beta, 0), m.mul(m.at(beta, 1), mom_iq)), sigma), d.kid_score);
  return { beta, sigma };
});
