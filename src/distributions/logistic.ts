/**
 * The logistic distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { drawElementwise } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";

/**
 * Logistic(loc, scale) on ℝ: density e^−z / (scale (1 + e^−z)²), z = (x − loc)/scale.
 *
 * @example
 * ```ts
 * const u = m.sample("u", m.logistic(0, 1));
 * ```
 */
export const logistic: Family<"loc" | "scale"> = {
  name: "logistic",
  params: ["loc", "scale"],
  domains: { loc: "real", scale: "positive" },
  discrete: false,
  locScale: { loc: "loc", scale: "scale" },
  shapes: elementwiseShapes(),
  support: () => ({ kind: "real" }),
  // −z − 2 log(1 + e^−z), with log1pExp keeping large |z| finite.
  logProb: (m, x, p) => {
    const z = m.div(m.sub(x, p.loc), p.scale);
    return m.neg(m.add(m.add(z, m.mul(2, m.log1pExp(m.neg(z)))), m.log(p.scale)));
  },
  sample: (rng, p, batch) =>
    drawElementwise(batch, [p.loc, p.scale], (loc, scale) => {
      const u = rng.uniform();
      return loc + scale * (Math.log(u) - Math.log1p(-u));
    }),
};
