/**
 * The exponential distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { drawElementwise } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";

/**
 * Exponential with rate λ (mean 1/λ) on [0, ∞).
 *
 * @example
 * ```ts
 * const scale = model((m) => {
 *   const sigma = m.sample("sigma", m.exponential(1));
 *   return { sigma };
 * });
 * priorSample(scale, undefined).draws.sigma; // 1000 positive draws, mean ≈ 1
 * ```
 */
export const exponential: Family<"rate"> = {
  name: "exponential",
  params: ["rate"],
  domains: { rate: "positive" },
  discrete: false,
  shapes: elementwiseShapes(),
  support: () => ({ kind: "positive" }),
  logProb: (m, x, p) => m.sub(m.log(p.rate), m.mul(p.rate, x)),
  sample: (rng, p, batch) => drawElementwise(batch, [p.rate], (rate) => -Math.log(rng.uniform()) / rate),
};
