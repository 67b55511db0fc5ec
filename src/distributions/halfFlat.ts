/**
 * The improper flat density on (0, ∞).
 * @module
 */
import type { Family } from "../dsl/distribution.ts";

/**
 * The improper uniform density on (0, ∞) (Stan's `real<lower=0>` with no
 * prior): log density 0 on the constrained scale, no prior sampler.
 *
 * @example
 * ```ts
 * const noise = model((m, data: { y: number[] }) => {
 *   const sigma = m.sample("sigma", m.halfFlat());
 *   m.observe("y", m.normal(0, sigma), data.y);
 *   return { sigma };
 * });
 * logDensity(noise, { y: [0.5, -1.2, 0.3] }).logpConstrained({ sigma: 1 }); // the likelihood alone: the prior adds 0
 * ```
 */
export const halfFlat: Family<never> = {
  name: "half_flat",
  params: [],
  domains: {},
  discrete: false,
  shapes: () => ({ batch: [], event: [] }),
  support: () => ({ kind: "positive" }),
  logProb: (m, x) => m.fill(0, m.shapeOf(x)),
};
