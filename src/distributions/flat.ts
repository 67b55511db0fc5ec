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
 * const regression = model((m, data: { x: number[][]; y: number[] }) => {
 *   const beta = m.sample("beta", m.flat(), { shape: [3] });
 *   m.observe("y", m.normal(m.matmul(data.x, beta), 1), data.y);
 *   return { beta };
 * });
 * const points = { x: [[1, 0, 2], [1, 1, 0]], y: [1, 2] };
 * logDensity(regression, points).logpConstrained({ beta: [0, 1, 0.5] }); // the likelihood alone: the prior adds 0
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
