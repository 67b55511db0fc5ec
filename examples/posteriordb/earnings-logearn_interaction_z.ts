/**
 * posteriordb `earnings-logearn_interaction_z` (model
 * `logearn_interaction_z`, ARM book): log earnings on standardized height,
 * sex and their interaction.
 *
 * log_earn = log(earn); z_height = (height − mean(height)) / sd(height)
 * (sd with N − 1, as Stan's `sd`); inter = z_height ⊙ male (transformed
 * data); log_earn ~ Normal(β₁ + β₂·z_height + β₃·male + β₄·inter, σ); flat
 * priors (σ > 0). d = 5.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import { addAll } from "../lib.ts";
import raw from "./data/earnings-logearn_interaction_z.json" with { type: "json" };
import type { EarningsData } from "./earnings-earn_height.ts";

/** The posterior's data, as posteriordb has it. */
export const data: EarningsData = raw;

/** Log earnings with a standardized predictor and an interaction. */
export default model((m, d: EarningsData) => {
  const N = d.earn.length;
  const beta = m.sample("beta", m.flat(), { shape: [4] });
  const sigma = m.sample("sigma", m.halfFlat());
  const log_earn = m.log(m.data("earn", d.earn));
  const height = m.data("height", d.height);
  const centered = m.sub(height, m.mean(height));
  const sd = m.sqrt(m.div(m.sum(m.square(centered)), N - 1));
  const z_height = m.div(centered, sd);
  const male = m.data("male", d.male);
  const inter = m.mul(z_height, male);
  const b = (k: number) => m.at(beta, k);
  const mu = addAll(m, [b(0), m.mul(b(1), z_height), m.mul(b(2), male), m.mul(b(3), inter)]);
  m.observe("log_earn", m.normal(mu, sigma), log_earn);
  return { beta, sigma };
});
