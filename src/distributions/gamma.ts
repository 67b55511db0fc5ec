/**
 * The gamma distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { drawElementwise, gammaSampler } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";

/**
 * Gamma with shape α and rate β (mean α/β, Stan's parameterization) on (0, ∞).
 *
 * @example
 * ```ts
 * const rate = model((m) => {
 *   const lambda = m.sample("lambda", m.gamma(2, 0.5));
 *   return { lambda };
 * });
 * priorSample(rate, undefined).draws.lambda; // 1000 positive draws, mean ≈ shape / rate = 4
 * ```
 */
export const gamma: Family<"shape" | "rate"> = {
  name: "gamma",
  params: ["shape", "rate"],
  domains: { shape: "positive", rate: "positive" },
  discrete: false,
  shapes: elementwiseShapes(),
  support: () => ({ kind: "positive" }),
  logProb: (m, x, p) =>
    m.sub(m.add(m.sub(m.mul(p.shape, m.log(p.rate)), m.lgamma(p.shape)), m.mul(m.sub(p.shape, 1), m.log(x))), m.mul(p.rate, x)),
  sample: (rng, p, batch) => drawElementwise(batch, [p.shape, p.rate], gammaSampler(rng)),
};
