/**
 * posteriordb `radon_mn-radon_hierarchical_intercept_centered` (model
 * `radon_hierarchical_intercept_centered`, Gelman & Hill; Stan's radon case
 * study): log radon in 919 Minnesota homes, a county intercept (J = 85) and
 * slopes on the county's log uranium and the floor of measurement,
 * centered. No reference posterior in posteriordb.
 *
 * σ_α, σ_y ~ Half-Normal(1); μ_α ~ Normal(0, 10); β ~ Normal(0, 10) (2);
 * α_j ~ Normal(μ_α, σ_α); log_radon_n ~ Normal(α[county_n] + β₁·log_uppm_n
 * + β₂·floor_n, σ_y). d = 85 + 2 + 3 = 90. (Stan declares α first; here
 * μ_α and σ_α come first because α's prior uses them.)
 *
 * The county lookup α[county_idx] is a `gather` with the 0-based indices.
 * @module
 */
import { model, type ModelAlg } from "../../src/dsl/model.ts";
import type { Tensor } from "../../src/dsl/tensor.ts";
import { addAll } from "../lib.ts";
import raw from "./data/radon_mn-radon_hierarchical_intercept_centered.json" with { type: "json" };

/** The Minnesota radon data: N homes in J counties (county_idx 1-based, as Stan's). */
export interface RadonData {
  readonly N: number;
  readonly J: number;
  readonly county_idx: readonly number[];
  readonly log_uppm: readonly number[];
  readonly floor_measure: readonly number[];
  readonly log_radon: readonly number[];
}

/** The posterior's data, as posteriordb has it. */
export const data: RadonData = raw;

/** The linear predictor α[county] + β₁·log_uppm + β₂·floor, shared with the non-centered model. */
export function radonMean(m: ModelAlg, d: RadonData, alpha: Tensor, beta: Tensor): Tensor {
  const county = d.county_idx.map((j) => j - 1);
  const b = (k: number) => m.at(beta, k);
  return addAll(m, [
    m.gather(alpha, county),
    m.mul(m.data("log_uppm", d.log_uppm), b(0)),
    m.mul(m.data("floor_measure", d.floor_measure), b(1)),
  ]);
}

/** Centered county intercepts. */
export default model((m, d: RadonData) => {
  const sigma_alpha = m.sample("sigma_alpha", m.halfNormal(1));
  const sigma_y = m.sample("sigma_y", m.halfNormal(1));
  const mu_alpha = m.sample("mu_alpha", m.normal(0, 10));
  const beta = m.sample("beta", m.normal(0, 10), { shape: [2] });
  const alpha = m.sample("alpha", m.normal(mu_alpha, sigma_alpha), { shape: [d.J] });
  m.observe("log_radon", m.normal(radonMean(m, d, alpha, beta), sigma_y), d.log_radon);
  return { alpha, beta, mu_alpha, sigma_alpha, sigma_y };
});
