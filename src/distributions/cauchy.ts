/**
 * The Cauchy distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import type { MathAlg } from "../dsl/math.ts";
import type { Tensor } from "../dsl/tensor.ts";
import { locationScaleFamily } from "./locationScale.ts";
import { LOG_PI } from "./terms.ts";

/** log Cauchy(x | loc, scale), shared with the half-Cauchy. */
export function cauchyLogDensity(m: MathAlg, x: Tensor, loc: Tensor | number, scale: Tensor): Tensor {
  const z = m.div(m.sub(x, loc), scale);
  return m.neg(m.add(m.add(m.log1p(m.square(z)), m.log(scale)), LOG_PI));
}

/**
 * Cauchy(loc, scale) on ℝ.
 *
 * @example
 * ```ts
 * const weaklyInformative = model((m) => {
 *   const beta = m.sample("beta", m.cauchy(0, 2.5));
 *   return { beta };
 * });
 * priorSample(weaklyInformative, undefined).draws.beta; // 1000 draws, median ≈ 0, some far out in the tails
 * ```
 */
export const cauchy: Family<"loc" | "scale"> = locationScaleFamily("cauchy", cauchyLogDensity, (rng) =>
  // Inverse CDF: tan(π(u − ½)).
  Math.tan(Math.PI * (rng.uniform() - 0.5)),
);
