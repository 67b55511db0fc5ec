/**
 * The half-Cauchy distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { cauchyLogDensity } from "./cauchy.ts";
import { drawElementwise } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";
import { LOG_2 } from "./terms.ts";

/**
 * |Cauchy(0, scale)| on [0, ∞).
 *
 * @example
 * ```ts
 * const scale = model((m) => {
 *   const tau = m.sample("tau", m.halfCauchy(1));
 *   return { tau };
 * });
 * priorSample(scale, undefined).draws.tau; // 1000 positive draws, median ≈ 1
 * ```
 */
export const halfCauchy: Family<"scale"> = {
  name: "half_cauchy",
  params: ["scale"],
  domains: { scale: "positive" },
  discrete: false,
  shapes: elementwiseShapes(),
  support: () => ({ kind: "positive" }),
  logProb: (m, x, p) => m.add(cauchyLogDensity(m, x, 0, p.scale), LOG_2),
  // Inverse CDF of the half-Cauchy: tan(πu/2).
  sample: (rng, p, batch) => drawElementwise(batch, [p.scale], (scale) => scale * Math.tan(0.5 * Math.PI * rng.uniform())),
};
