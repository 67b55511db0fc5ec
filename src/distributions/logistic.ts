/**
 * The logistic distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { locationScaleFamily } from "./locationScale.ts";

/**
 * Logistic(loc, scale) on ℝ: density e^−z / (scale (1 + e^−z)²), z = (x − loc)/scale.
 *
 * @example
 * ```ts
 * const latent = model((m) => {
 *   const u = m.sample("u", m.logistic(0, 1));
 *   return { u };
 * });
 * priorSample(latent, undefined).draws.u; // 1000 draws, mean ≈ 0, sd ≈ π/√3
 * ```
 */
export const logistic: Family<"loc" | "scale"> = locationScaleFamily(
  "logistic",
  // −z − 2 log(1 + e^−z) − log scale, with log1pExp keeping large |z| finite.
  (m, x, loc, scale) => {
    const z = m.div(m.sub(x, loc), scale);
    return m.neg(m.add(m.add(z, m.mul(2, m.log1pExp(m.neg(z)))), m.log(scale)));
  },
  (rng) => {
    const u = rng.uniform();
    return Math.log(u) - Math.log1p(-u);
  },
);
