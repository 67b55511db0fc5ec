/**
 * The small model the data-file properties build: y ~ normal(alpha · x, sigma),
 * and its log density computed by hand (with the same broadcasting of a
 * scalar or length-1 x), to check a built model against.
 */
import { model } from "../../src/dsl/model.ts";

/** A regression through the origin of data y on data x. */
export const regression = model((m, d: { x: number[]; y: number[] }) => {
  const alpha = m.sample("alpha", m.normal(0, 1));
  const sigma = m.sample("sigma", m.halfNormal(1));
  m.observe("y", m.normal(m.mul(alpha, m.data("x", d.x)), sigma), d.y);
  return { alpha, sigma };
});

const normalLogpdf = (v: number, mean: number, sd: number): number =>
  -0.5 * ((v - mean) / sd) ** 2 - Math.log(sd) - 0.5 * Math.log(2 * Math.PI);

/**
 * The regression's log density at unconstrained θ = (alpha, log sigma),
 * Jacobian included, for data that builds.
 */
export function regressionLogp(x: number | readonly number[], y: number | readonly number[], theta: readonly number[]): number {
  const alpha = theta[0];
  const sigma = Math.exp(theta[1]);
  const xs = typeof x === "number" ? [x] : x;
  const ys = typeof y === "number" ? [y] : y;
  let lp = normalLogpdf(alpha, 0, 1) + normalLogpdf(sigma, 0, 1) + Math.log(2) + theta[1];
  // The observed value's shape is y's: x broadcasts to it.
  for (let i = 0; i < ys.length; i++) lp += normalLogpdf(ys[i], alpha * xs[xs.length === 1 ? 0 : i], sigma);
  return lp;
}
