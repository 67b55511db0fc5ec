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
 * const sigma = m.sample("sigma", m.halfFlat());
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
