/**
 * The Laplace (double exponential) distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { locationScaleFamily } from "./locationScale.ts";
import { LOG_2 } from "./terms.ts";

/**
 * Laplace(loc, scale) on ℝ (Stan's double_exponential): density
 * exp(−|x − loc| / scale) / (2 scale).
 *
 * @example
 * ```ts
 * const sparse = model((m) => {
 *   const beta = m.sample("beta", m.laplace(0, 1), { shape: [10] });
 *   return { beta };
 * });
 * priorSample(sparse, undefined).draws.beta[0]; // ten coefficients
 * ```
 */
export const laplace: Family<"loc" | "scale"> = locationScaleFamily(
  "double_exponential",
  (m, x, loc, scale) => m.neg(m.add(m.div(m.abs(m.sub(x, loc)), scale), m.add(m.log(scale), LOG_2))),
  // Inverse CDF; u is in the open interval (0, 1), so the logarithm is finite.
  (rng) => {
    const v = rng.uniform() - 0.5;
    return -Math.sign(v) * Math.log1p(-2 * Math.abs(v));
  },
);
