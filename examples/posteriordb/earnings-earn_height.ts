/**
 * posteriordb `earnings-earn_height` (model `earn_height`, ARM book):
 * earnings regressed on height.
 *
 * earn ~ Normal(β₁ + β₂·height, σ); β and σ have Stan's improper flat
 * priors (σ > 0: half-flat). d = 3.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import raw from "./data/earnings-earn_height.json" with { type: "json" };

/** The earnings data (N = 1192). */
export interface EarningsData {
  readonly N: number;
  readonly earn: readonly number[];
  readonly height: readonly number[];
  readonly male: readonly number[];
}

/** The posterior's data, as posteriordb has it. */
export const data: EarningsData = raw;

/** Linear regression of earn on height. */
export default model((m, d: EarningsData) => {
  const beta = m.sample("beta", m.flat(), { shape: [2] });
  const sigma = m.sample("sigma", m.halfFlat());
  const height = m.data("height", d.height);
  m.observe("earn", m.normal(m.add(m.at(beta, 0), m.mul(m.at(beta, 1), height)), sigma), d.earn);
  return { beta, sigma };
});
