/**
 * The inverse gamma distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { drawElementwise, gammaSampler } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";

/**
 * Inverse gamma with shape α and scale β (Stan's inv_gamma): 1/x ~ Gamma(α, rate β).
 *
 * @example
 * ```ts
 * const variance = model((m) => {
 *   const sigma2 = m.sample("sigma2", m.inverseGamma(3, 2));
 *   return { sigma2 };
 * });
 * priorSample(variance, undefined).draws.sigma2; // 1000 positive draws, mean ≈ scale / (shape − 1) = 1
 * ```
 */
export const inverseGamma: Family<"shape" | "scale"> = {
  name: "inv_gamma",
  params: ["shape", "scale"],
  domains: { shape: "positive", scale: "positive" },
  discrete: false,
  shapes: elementwiseShapes(),
  support: () => ({ kind: "positive" }),
  logProb: (m, x, p) =>
    m.sub(m.sub(m.sub(m.mul(p.shape, m.log(p.scale)), m.lgamma(p.shape)), m.mul(m.add(p.shape, 1), m.log(x))), m.div(p.scale, x)),
  sample: (rng, p, batch) => {
    const gamma = gammaSampler(rng);
    return drawElementwise(batch, [p.shape, p.scale], (shape, scale) => scale / gamma(shape, 1));
  },
};
