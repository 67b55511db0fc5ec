/**
 * The Poisson distribution on the log-rate scale.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { drawElementwise, poissonSampler } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";

/**
 * Poisson with rate exp(logRate) (Stan's poisson_log), evaluated without
 * forming log(exp(·)).
 *
 * @example
 * ```ts
 * const counts = model((m, data: { x: number[]; y: number[] }) => {
 *   const alpha = m.sample("alpha", m.normal(0, 1));
 *   const beta = m.sample("beta", m.normal(0, 1));
 *   m.observe("y", m.poissonLog(m.add(alpha, m.mul(beta, data.x))), data.y);
 *   return { alpha, beta };
 * });
 * logDensity(counts, { x: [0, 1, 2], y: [1, 3, 7] }).logpConstrained({ alpha: 0, beta: 1 });
 * ```
 */
export const poissonLog: Family<"logRate"> = {
  name: "poisson_log",
  params: ["logRate"],
  domains: { logRate: "real" },
  discrete: true,
  shapes: elementwiseShapes(),
  support: () => ({ kind: "count" }),
  logProb: (m, x, p) => m.sub(m.sub(m.mul(x, p.logRate), m.exp(p.logRate)), m.lgamma(m.add(x, 1))),
  sample: (rng, p, batch) => {
    const draw = poissonSampler(rng);
    return drawElementwise(batch, [p.logRate], (logRate) => draw(Math.exp(logRate)));
  },
};
