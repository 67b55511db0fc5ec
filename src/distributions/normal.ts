/**
 * The normal distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import type { MathAlg } from "../dsl/math.ts";
import type { Tensor } from "../dsl/tensor.ts";
import { locationScaleFamily } from "./locationScale.ts";
import { LOG_2PI } from "./terms.ts";

/**
 * log N(x | loc, scale), written once for the families built on it
 * (half-normal, log-normal, the Gaussian random walk).
 */
export function normalLogDensity(m: MathAlg, x: Tensor, loc: Tensor | number, scale: Tensor): Tensor {
  const z = m.div(m.sub(x, loc), scale);
  return m.sub(m.mul(-0.5, m.square(z)), m.add(m.log(scale), 0.5 * LOG_2PI));
}

/**
 * Normal(loc, scale) on ℝ; `scale` is the standard deviation.
 *
 * @example
 * ```ts
 * const location = model((m) => {
 *   const mu = m.sample("mu", m.normal(0, 5));
 *   return { mu };
 * });
 * priorSample(location, undefined).draws.mu; // 1000 draws, mean ≈ 0, sd ≈ 5
 * ```
 */
export const normal: Family<"loc" | "scale"> = locationScaleFamily("normal", normalLogDensity, (rng) => rng.normal());
