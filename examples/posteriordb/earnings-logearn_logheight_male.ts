/**
 * posteriordb `earnings-logearn_logheight_male` (model
 * `logearn_logheight_male`, ARM book): log earnings on log height and sex.
 *
 * log_earn = log(earn), log_height = log(height) (transformed data);
 * log_earn ~ Normal(β₁ + β₂·log_height + β₃·male, σ); flat priors (σ > 0).
 * d = 4.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import { addAll } from "../lib.ts";
import raw from "./data/earnings-logearn_logheight_male.json" with { type: "json" };
import type { EarningsData } from "./earnings-earn_height.ts";

/** The posterior's data, as posteriordb has it. */
export const data: EarningsData = raw;

/** Log-log regression with a sex indicator. */
export default model((m, d: EarningsData) => {
  const beta = m.sample("beta", m.flat(), { shape: [3] });
  const sigma = m.sample("sigma", m.halfFlat());
  const log_earn = m.log(m.data("earn", d.earn));
  const log_height = m.log(m.data("height", d.height));
  const male = m.data("male", d.male);
  const mu = addAll(m, [m.at(beta, 0), m.mul(m.at(beta, 1), log_height), m.mul(m.at(beta, 2), male)]);
  m.observe("log_earn", m.normal(mu, sigma), log_earn);
  return { beta, sigma };
});
