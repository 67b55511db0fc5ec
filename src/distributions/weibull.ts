/**
 * The Weibull distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { drawElementwise } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";

/**
 * Weibull with shape α and scale σ on [0, ∞) (Stan's parameterization):
 * density (α/σ)(x/σ)^(α−1) exp(−(x/σ)^α).
 *
 * @example
 * ```ts
 * const lifetimes = model((m, data: { t: number[] }) => {
 *   const alpha = m.sample("alpha", m.gamma(2, 1));
 *   const sigma = m.sample("sigma", m.halfNormal(10));
 *   m.observe("t", m.weibull(alpha, sigma), data.t);
 *   return { alpha, sigma };
 * });
 * logDensity(lifetimes, { t: [3.1, 7.4, 5.0] }).logpConstrained({ alpha: 1.5, sigma: 5 });
 * ```
 */
export const weibull: Family<"shape" | "scale"> = {
  name: "weibull",
  params: ["shape", "scale"],
  domains: { shape: "positive", scale: "positive" },
  discrete: false,
  shapes: elementwiseShapes(),
  support: () => ({ kind: "positive" }),
  logProb: (m, x, p) => {
    const logZ = m.sub(m.log(x), m.log(p.scale));
    const head = m.sub(m.log(p.shape), m.log(p.scale));
    return m.sub(m.add(head, m.mul(m.sub(p.shape, 1), logZ)), m.exp(m.mul(p.shape, logZ)));
  },
  // Inverse CDF: σ (−log u)^(1/α).
  sample: (rng, p, batch) =>
    drawElementwise(batch, [p.shape, p.scale], (shape, scale) => scale * Math.pow(-Math.log(rng.uniform()), 1 / shape)),
};
