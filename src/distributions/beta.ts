/**
 * The beta distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { betaSampler, drawElementwise } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";

/**
 * Beta(α, β) on (0, 1).
 *
 * @example
 * ```ts
 * const coinBias = model((m) => {
 *   const theta = m.sample("theta", m.beta(2, 2));
 *   return { theta };
 * });
 * priorSample(coinBias, undefined).draws.theta; // 1000 draws in (0, 1), mean ≈ 0.5
 * ```
 */
export const beta: Family<"a" | "b"> = {
  name: "beta",
  params: ["a", "b"],
  domains: { a: "positive", b: "positive" },
  discrete: false,
  shapes: elementwiseShapes(),
  support: () => ({ kind: "unit" }),
  logProb: (m, x, p) => {
    const logBeta = m.sub(m.add(m.lgamma(p.a), m.lgamma(p.b)), m.lgamma(m.add(p.a, p.b)));
    const kernel = m.add(m.mul(m.sub(p.a, 1), m.log(x)), m.mul(m.sub(p.b, 1), m.log1p(m.neg(x))));
    return m.sub(kernel, logBeta);
  },
  sample: (rng, p, batch) => drawElementwise(batch, [p.a, p.b], betaSampler(rng)),
};
