/**
 * posteriordb `arma-arma11` (model `arma11`): an ARMA(1, 1) process.
 *
 * μ ~ Normal(0, 10); φ ~ Normal(0, 2); θ ~ Normal(0, 2);
 * σ ~ Half-Cauchy(0, 2.5). Predictions and errors, with err₀ = 0:
 * ν₁ = μ + φ·μ, ν_t = μ + φ·y_{t−1} + θ·err_{t−1} (t ≥ 2),
 * err_t = y_t − ν_t; then err ~ Normal(0, σ). d = 4.
 *
 * The error recursion is a `m.scan` over (y_t, y_{t−1}) carrying err_{t−1}.
 * As in Stan, the likelihood is stated on `err` (the map y ↦ err is
 * triangular with unit diagonal, so this is the density of y).
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import raw from "./data/arma-arma11.json" with { type: "json" };

/** A univariate series (T = 200). */
export interface SeriesData {
  readonly T: number;
  readonly y: readonly number[];
}

/** The posterior's data, as posteriordb has it. */
export const data: SeriesData = raw;

/** ARMA(1, 1). */
export default model((m, d: SeriesData) => {
  const T = d.T;
  const y = m.data("y", d.y);
  const mu = m.sample("mu", m.normal(0, 10));
  const phi = m.sample("phi", m.normal(0, 2));
  const theta = m.sample("theta", m.normal(0, 2));
  const sigma = m.sample("sigma", m.halfCauchy(2.5));

  const err1 = m.sub(m.at(y, 0), m.add(mu, m.mul(phi, mu)));
  const {
    outputs: [errRest],
  } = m.scan(
    ([errPrev], [yt, yPrev]) => {
      const nu = m.add(m.add(mu, m.mul(phi, yPrev)), m.mul(theta, errPrev));
      const err = m.sub(yt, nu);
      return { carry: [err], outputs: [err] };
    },
    [err1],
    [m.slice(y, 1, T), m.slice(y, 0, T - 1)],
  );
  const err = m.concat([m.stack([err1]), errRest]);
  m.observe("err", m.normal(0, sigma), err);
  return { mu, phi, theta, sigma };
});
