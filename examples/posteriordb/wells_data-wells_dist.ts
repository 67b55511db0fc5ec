/**
 * posteriordb `wells_data-wells_dist` (model `wells_dist`, ARM book):
 * whether a household switched wells, by distance to the nearest safe well.
 *
 * switched ~ Bernoulli(logit⁻¹(β₁ + β₂·dist)); β flat. d = 2.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import raw from "./data/wells_data-wells_dist.json" with { type: "json" };

/** The wells data (N = 3020; only `dist` is used). */
export interface WellsData {
  readonly N: number;
  readonly switched: readonly number[];
  readonly dist: readonly number[];
  readonly arsenic: readonly number[];
  readonly assoc: readonly number[];
  readonly educ: readonly number[];
}

/** The posterior's data, as posteriordb has it. */
export const data: WellsData = raw;

/** Logistic regression on one predictor. */
export default model((m, d: WellsData) => {
  const beta = m.sample("beta", m.flat(), { shape: [2] });
  const dist = m.data("dist", d.dist);
  m.observe("switched", m.bernoulliLogit(m.add(m.at(beta, 0), m.mul(m.at(beta, 1), dist))), d.switched);
  return { beta };
});
