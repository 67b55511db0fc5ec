/**
 * The Bernoulli distribution on the log-odds scale.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { drawElementwise } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";

/**
 * Bernoulli with probability inv_logit(logit) (Stan's bernoulli_logit),
 * evaluated without forming the probability, so large |logit| stays exact.
 *
 * @example
 * ```ts
 * const regression = model((m, data: { x: number[]; y: number[] }) => {
 *   const alpha = m.sample("alpha", m.normal(0, 2.5));
 *   const beta = m.sample("beta", m.normal(0, 2.5));
 *   m.observe("y", m.bernoulliLogit(m.add(alpha, m.mul(beta, data.x))), data.y);
 *   return { alpha, beta };
 * });
 * logDensity(regression, { x: [-1, 0, 1], y: [0, 1, 1] }).logpConstrained({ alpha: 0, beta: 1 });
 * ```
 */
export const bernoulliLogit: Family<"logit"> = {
  name: "bernoulli_logit",
  params: ["logit"],
  domains: { logit: "real" },
  discrete: true,
  shapes: elementwiseShapes(),
  support: () => ({ kind: "binary" }),
  logProb: (m, x, p) => m.add(m.mul(x, m.logInvLogit(p.logit)), m.mul(m.sub(1, x), m.log1mInvLogit(p.logit))),
  sample: (rng, p, batch) => drawElementwise(batch, [p.logit], (logit) => (rng.uniform() < 1 / (1 + Math.exp(-logit)) ? 1 : 0)),
};
