/**
 * posteriordb `nes_logit_data-nes_logit_model` (model `nes_logit_model`):
 * vote by income, a logistic GLM with a one-column design matrix.
 *
 * x = income as an N×1 matrix (transformed data);
 * vote ~ Bernoulli(logit⁻¹(α + x β)) (Stan's bernoulli_logit_glm); α and
 * β (a vector of length 1) flat. d = 2.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import raw from "./data/nes_logit_data-nes_logit_model.json" with { type: "json" };

/** The data (N = 1179). */
export interface NesLogitData {
  readonly N: number;
  readonly income: readonly number[];
  readonly vote: readonly number[];
}

/** The posterior's data, as posteriordb has it. */
export const data: NesLogitData = raw;

/** Logistic GLM. */
export default model((m, d: NesLogitData) => {
  const alpha = m.sample("alpha", m.flat());
  const beta = m.sample("beta", m.flat(), { shape: [1] });
  const x = m.reshape(m.data("income", d.income), [d.N, 1]);
  m.observe("vote", m.bernoulliLogit(m.add(alpha, m.matmul(x, beta))), d.vote);
  return { alpha, beta };
});
