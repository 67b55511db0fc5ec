/**
 * posteriordb `arK-arK` (model `arK`): an autoregression of order K = 5.
 *
 * α ~ Normal(0, 10); β ~ Normal(0, 10) (K of them); σ ~ Half-Cauchy(0, 2.5);
 * y_t ~ Normal(α + Σ_k β_k·y_{t−k}, σ) for t = K + 1 … T. d = 7.
 *
 * Vectorized over t: the k-th lag is the slice y[K − k, T − k). The data
 * site `y` feeds both the lags and the likelihood, so the likelihood site
 * (on y[K + 1 … T]) is named `y_obs`.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import { addAll } from "../lib.ts";
import raw from "./data/arK-arK.json" with { type: "json" };

/** A series (T = 200) and the order K. */
export interface ArKData {
  readonly K: number;
  readonly T: number;
  readonly y: readonly number[];
}

/** The posterior's data, as posteriordb has it. */
export const data: ArKData = raw;

/** AR(K). */
export default model((m, d: ArKData) => {
  const { K, T } = d;
  const y = m.data("y", d.y);
  const alpha = m.sample("alpha", m.normal(0, 10));
  const beta = m.sample("beta", m.normal(0, 10), { shape: [K] });
  const sigma = m.sample("sigma", m.halfCauchy(2.5));
  const lags = Array.from({ length: K }, (_, j) => m.mul(m.at(beta, j), m.slice(y, K - (j + 1), T - (j + 1))));
  m.observe("y_obs", m.normal(addAll(m, [alpha, ...lags]), sigma), m.slice(y, K, T));
  return { alpha, beta, sigma };
});
