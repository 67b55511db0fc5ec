/**
 * The Poisson distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { drawElementwise, poissonSampler } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";
import { xlogyCount } from "./terms.ts";

/**
 * Poisson(λ) on the counts 0, 1, 2, …; λ = 0 is allowed (all mass at 0).
 *
 * @example
 * ```ts
 * const mortality = model((m, data: { exposure: number[]; deaths: number[] }) => {
 *   const rate = m.sample("rate", m.gamma(2, 10));
 *   m.observe("deaths", m.poisson(m.mul(rate, data.exposure)), data.deaths);
 *   return { rate };
 * });
 * logDensity(mortality, { exposure: [10, 20], deaths: [2, 5] }).logpConstrained({ rate: 0.2 });
 * ```
 */
export const poisson: Family<"rate"> = {
  name: "poisson",
  params: ["rate"],
  domains: { rate: "nonnegative" },
  discrete: true,
  shapes: elementwiseShapes(),
  support: () => ({ kind: "count" }),
  logProb: (m, x, p) => m.sub(m.sub(xlogyCount(m, x, p.rate), p.rate), m.lgamma(m.add(x, 1))),
  sample: (rng, p, batch) => drawElementwise(batch, [p.rate], poissonSampler(rng)),
};
