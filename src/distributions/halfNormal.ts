/**
 * The half-normal distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { normalLogDensity } from "./normal.ts";
import { drawElementwise } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";
import { LOG_2 } from "./terms.ts";

/**
 * |N(0, scale)| on [0, ∞): twice the normal density there (Stan's
 * `real<lower=0> x; x ~ normal(0, scale)`, normalized).
 *
 * @example
 * ```ts
 * const scale = model((m) => {
 *   const tau = m.sample("tau", m.halfNormal(5));
 *   return { tau };
 * });
 * priorSample(scale, undefined).draws.tau; // 1000 positive draws, mean ≈ 5 · √(2/π) ≈ 4
 * ```
 */
export const halfNormal: Family<"scale"> = {
  name: "half_normal",
  params: ["scale"],
  domains: { scale: "positive" },
  discrete: false,
  shapes: elementwiseShapes(),
  support: () => ({ kind: "positive" }),
  logProb: (m, x, p) => m.add(normalLogDensity(m, x, 0, p.scale), LOG_2),
  sample: (rng, p, batch) => drawElementwise(batch, [p.scale], (scale) => Math.abs(scale * rng.normal())),
};
