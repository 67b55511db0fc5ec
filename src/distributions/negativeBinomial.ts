/**
 * The negative binomial distribution, mean–dispersion form.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { drawElementwise, negativeBinomial2Sampler } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";
import { xlogyCount } from "./terms.ts";

/**
 * Negative binomial with mean μ and dispersion φ (Stan's neg_binomial_2):
 * variance μ + μ²/φ, Poisson as φ → ∞. log p(x) = log C(x + φ − 1, x)
 * + x log μ − x log(μ + φ) − φ log(1 + μ/φ).
 *
 * @example
 * ```ts
 * const pests = model((m, data: { complaints: number[] }) => {
 *   const mu = m.sample("mu", m.logNormal(1, 1));
 *   const phi = m.sample("phi", m.exponential(0.2));
 *   m.observe("complaints", m.negativeBinomial(mu, phi), data.complaints);
 *   return { mu, phi };
 * });
 * logDensity(pests, { complaints: [1, 8, 0, 3] }).logpConstrained({ mu: 3, phi: 2 });
 * ```
 */
export const negativeBinomial: Family<"mu" | "phi"> = {
  name: "neg_binomial_2",
  params: ["mu", "phi"],
  domains: { mu: "positive", phi: "positive" },
  discrete: true,
  shapes: elementwiseShapes(),
  support: () => ({ kind: "count" }),
  logProb: (m, x, p) => {
    const choose = m.sub(m.lgamma(m.add(x, p.phi)), m.add(m.lgamma(m.add(x, 1)), m.lgamma(p.phi)));
    const rest = m.sub(xlogyCount(m, x, p.mu), m.add(m.mul(x, m.log(m.add(p.mu, p.phi))), m.mul(p.phi, m.log1p(m.div(p.mu, p.phi)))));
    return m.add(choose, rest);
  },
  sample: (rng, p, batch) => drawElementwise(batch, [p.mu, p.phi], negativeBinomial2Sampler(rng)),
};
