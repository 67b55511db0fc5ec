/**
 * The log-normal distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { normalLogDensity } from "./normal.ts";
import { drawElementwise } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";

/**
 * Log-normal on (0, ∞): log x ~ Normal(mu, sigma).
 *
 * @example
 * ```ts
 * const incomes = model((m, data: { income: number[] }) => {
 *   const mu = m.sample("mu", m.normal(10, 1));
 *   const sigma = m.sample("sigma", m.halfNormal(1));
 *   m.observe("income", m.logNormal(mu, sigma), data.income);
 *   return { mu, sigma };
 * });
 * logDensity(incomes, { income: [21_000, 35_000, 52_000] }).logpConstrained({ mu: 10.5, sigma: 0.5 });
 * ```
 */
export const logNormal: Family<"mu" | "sigma"> = {
  name: "lognormal",
  params: ["mu", "sigma"],
  domains: { mu: "real", sigma: "positive" },
  discrete: false,
  shapes: elementwiseShapes(),
  support: () => ({ kind: "positive" }),
  logProb: (m, x, p) => {
    const logX = m.log(x);
    return m.sub(normalLogDensity(m, logX, p.mu, p.sigma), logX);
  },
  sample: (rng, p, batch) => drawElementwise(batch, [p.mu, p.sigma], (mu, sigma) => Math.exp(mu + sigma * rng.normal())),
};
