/**
 * The Bernoulli distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { drawElementwise } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";
import { xlogyCount } from "./terms.ts";

/**
 * Bernoulli(p) on {0, 1}. p may be exactly 0 or 1 (0 · log 0 = 0).
 *
 * @example
 * ```ts
 * const coin = model((m, data: { switched: number[] }) => {
 *   const theta = m.sample("theta", m.beta(1, 1));
 *   m.observe("switched", m.bernoulli(theta), data.switched);
 *   return { theta };
 * });
 * logDensity(coin, { switched: [1, 0, 1] }).logpConstrained({ theta: 0.5 }); // 3 · log 0.5
 * ```
 */
export const bernoulli: Family<"p"> = {
  name: "bernoulli",
  params: ["p"],
  domains: { p: "unit" },
  discrete: true,
  shapes: elementwiseShapes(),
  support: () => ({ kind: "binary" }),
  logProb: (m, x, p) => m.add(xlogyCount(m, x, p.p), xlogyCount(m, m.sub(1, x), m.sub(1, p.p))),
  sample: (rng, p, batch) => drawElementwise(batch, [p.p], (prob) => (rng.uniform() < prob ? 1 : 0)),
};
