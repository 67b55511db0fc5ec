/**
 * The uniform distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { drawElementwise } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";
import { logStep } from "./terms.ts";

/**
 * Uniform(lower, upper) on [lower, upper]. The bounds are the parameter
 * tensors themselves, so they may depend on other parameters (the support's
 * transform follows them); the density is −∞ outside, which is how an
 * observed value beyond a parameter bound is rejected.
 *
 * @example
 * ```ts
 * const stick = model((m) => {
 *   const a = m.sample("a", m.uniform(0, 1));
 *   const b = m.sample("b", m.uniform(0, m.sub(1, a)));
 *   return { a, b };
 * });
 * priorSample(stick, undefined).draws.b; // every draw has a + b ≤ 1
 * ```
 */
export const uniform: Family<"lower" | "upper"> = {
  name: "uniform",
  params: ["lower", "upper"],
  domains: { lower: "real", upper: "real" },
  discrete: false,
  shapes: elementwiseShapes(),
  support: (p) => ({ kind: "interval", lower: p.lower, upper: p.upper }),
  logProb: (m, x, p) => {
    const inside = m.add(logStep(m, m.sub(x, p.lower)), logStep(m, m.sub(p.upper, x)));
    return m.sub(inside, m.log(m.sub(p.upper, p.lower)));
  },
  sample: (rng, p, batch) => drawElementwise(batch, [p.lower, p.upper], (lower, upper) => lower + (upper - lower) * rng.uniform()),
};
