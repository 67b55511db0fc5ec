/**
 * posteriordb `kidiq-kidscore_interaction` (model `kidscore_interaction`,
 * ARM book): kid_score on the mother's high-school degree, IQ and their
 * interaction.
 *
 * inter = mom_hs ⊙ mom_iq (transformed data);
 * kid_score ~ Normal(β₁ + β₂·mom_hs + β₃·mom_iq + β₄·inter, σ);
 * σ ~ Half-Cauchy(0, 2.5); β flat. d = 5.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import { addAll } from "../lib.ts";
import raw from "./data/kidiq-kidscore_interaction.json" with { type: "json" };
import type { KidiqData } from "./kidiq-kidscore_momiq.ts";

/** The posterior's data, as posteriordb has it. */
export const data: KidiqData = raw;

/** Linear regression with an interaction term. */
export default model((m, d: KidiqData) => {
  const beta = m.sample("beta", m.flat(), { shape: [4] });
  const sigma = m.sample("sigma", m.halfCauchy(2.5));
  const mom_hs = m.data("mom_hs", d.mom_hs);
  const mom_iq = m.data("mom_iq", d.mom_iq);
  const inter = m.mul(mom_hs, mom_iq);
  const b = (k: number) => m.at(beta, k);
  const mu = addAll(m, [b(0), m.mul(b(1), mom_hs), m.mul(b(2), mom_iq), m.mul(b(3), inter)]);
  m.observe("kid_score", m.normal(mu, sigma), d.kid_score);
  return { beta, sigma };
});
