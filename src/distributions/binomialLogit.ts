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
 * const bioassay = model((m, data: { n: number[]; dose: number[]; deaths: number[] }) => {
 *   const alpha = m.sample("alpha", m.normal(0, 10));
 *   const beta = m.sample("beta", m.normal(0, 10));
 *   m.observe("deaths", m.binomialLogit(data.n, m.add(alpha, m.mul(beta, data.dose))), data.deaths);
 *   return { alpha, beta };
 * });
 * const doses = { n: [5, 5, 5, 5], dose: [-0.86, -0.3, -0.05, 0.73], deaths: [0, 1, 3, 5] };
 * logDensity(bioassay, doses).logpConstrained({ alpha: 0.8, beta: 7.7 });
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
