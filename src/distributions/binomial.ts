/**
 * The binomial distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import type { MathAlg } from "../dsl/math.ts";
import type { Tensor } from "../dsl/tensor.ts";
import { binomialSampler, drawElementwise } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";
import { xlogyCount } from "./terms.ts";

/** log C(n, k) through log Γ; −∞ for k > n (log Γ of a non-positive integer is +∞). */
export function logChoose(m: MathAlg, n: Tensor, k: Tensor): Tensor {
  return m.sub(m.lgamma(m.add(n, 1)), m.add(m.lgamma(m.add(k, 1)), m.lgamma(m.add(m.sub(n, k), 1))));
}

/**
 * Binomial(n, p): successes in n trials, on the integers 0 … n. p may be
 * exactly 0 or 1.
 *
 * @example
 * ```ts
 * const batting = model((m, data: { atBats: number[]; hits: number[] }) => {
 *   const theta = m.sample("theta", m.beta(1, 1));
 *   m.observe("hits", m.binomial(data.atBats, theta), data.hits);
 *   return { theta };
 * });
 * logDensity(batting, { atBats: [45, 38], hits: [18, 9] }).logpConstrained({ theta: 0.3 });
 * ```
 */
export const binomial: Family<"n" | "p"> = {
  name: "binomial",
  params: ["n", "p"],
  domains: { n: "count", p: "unit" },
  discrete: true,
  shapes: elementwiseShapes(),
  support: (p) => ({ kind: "intRange", lower: 0, upper: p.n }),
  logProb: (m, x, p) => m.add(logChoose(m, p.n, x), m.add(xlogyCount(m, x, p.p), xlogyCount(m, m.sub(p.n, x), m.sub(1, p.p)))),
  sample: (rng, p, batch) => drawElementwise(batch, [p.n, p.p], binomialSampler(rng)),
};
