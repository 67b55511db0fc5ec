/**
 * posteriordb `sblrc-blr` (model `blr`): Bayesian linear regression,
 * N = 100, D = 5.
 *
 * β ~ Normal(0, 10); σ ~ Half-Normal(10) (Stan: `real<lower=0> sigma`
 * with a normal(0, 10) density); y ~ Normal(X β, σ). d = 6.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import raw from "./data/sblrc-blr.json" with { type: "json" };

/** The data: design matrix `X` (N rows of D) and responses `y`. */
export interface BlrData {
  readonly N: number;
  readonly D: number;
  readonly X: readonly (readonly number[])[];
  readonly y: readonly number[];
}

/** The posterior's data, as posteriordb has it. */
export const data: BlrData = raw;

/** Linear regression with a design matrix. */
export default model((m, d: BlrData) => {
  const beta = m.sample("beta", m.normal(0, 10), { shape: [d.D] });
  const sigma = m.sample("sigma", m.halfNormal(10));
  m.observe("y", m.normal(m.matmul(m.data("X", d.X), beta), sigma), d.y);
  return { beta, sigma };
});
