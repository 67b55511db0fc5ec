/**
 * The improper flat density on ℝ.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";

/**
 * The improper uniform density on ℝ (Stan's unconstrained parameter with no
 * prior): log density 0, no prior sampler. Give it a site shape for a vector.
 *
 * @example
 * ```ts
 * const beta = m.sample("beta", m.flat(), { shape: [3] });
 * ```
 */
export const flat: Family<never> = {
  name: "flat",
  params: [],
  domains: {},
  discrete: false,
  shapes: () => ({ batch: [], event: [] }),
  support: () => ({ kind: "real" }),
  logProb: (m, x) => m.fill(0, m.shapeOf(x)),
};
