/**
 * The Laplace (double exponential) distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { drawElementwise } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";
import { LOG_2 } from "./terms.ts";

/**
 * Laplace(loc, scale) on ℝ (Stan's double_exponential): density
 * exp(−|x − loc| / scale) / (2 scale).
 *
 * @example
 * ```ts
 * const beta = m.sample("beta", m.laplace(0, 1), { shape: [10] });
 * ```
 */
export const laplace: Family<"loc" | "scale"> = {
  name: "double_exponential",
  params: ["loc", "scale"],
  domains: { loc: "real", scale: "positive" },
  discrete: false,
  locScale: { loc: "loc", scale: "scale" },
  shapes: elementwiseShapes(),
  support: () => ({ kind: "real" }),
  logProb: (m, x, p) => m.neg(m.add(m.div(m.abs(m.sub(x, p.loc)), p.scale), m.add(m.log(p.scale), LOG_2))),
  // Inverse CDF; u is in the open interval (0, 1), so the logarithm is finite.
  sample: (rng, p, batch) =>
    drawElementwise(batch, [p.loc, p.scale], (loc, scale) => {
      const v = rng.uniform() - 0.5;
      return loc - scale * Math.sign(v) * Math.log1p(-2 * Math.abs(v));
    }),
};
