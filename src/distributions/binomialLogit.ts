/**
 * The binomial distribution on the log-odds scale.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { logChoose } from "./binomial.ts";
import { binomialSampler, drawElementwise } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";

/**
 * Binomial with n trials and success probability inv_logit(logit) (Stan's
 * binomial_logit), on the integers 0 … n.
 *
 * @example
 * ```ts
 * m.observe("deaths", m.binomialLogit(data.n, m.add(alpha, m.mul(beta, data.dose))), data.deaths);
 * ```
 */
export const binomialLogit: Family<"n" | "logit"> = {
  name: "binomial_logit",
  params: ["n", "logit"],
  domains: { n: "count", logit: "real" },
  discrete: true,
  shapes: elementwiseShapes(),
  support: (p) => ({ kind: "intRange", lower: 0, upper: p.n }),
  logProb: (m, x, p) =>
    m.add(logChoose(m, p.n, x), m.add(m.mul(x, m.logInvLogit(p.logit)), m.mul(m.sub(p.n, x), m.log1mInvLogit(p.logit)))),
  sample: (rng, p, batch) => {
    const draw = binomialSampler(rng);
    return drawElementwise(batch, [p.n, p.logit], (n, logit) => draw(n, 1 / (1 + Math.exp(-logit))));
  },
};
