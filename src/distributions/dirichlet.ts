/**
 * The Dirichlet distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { sizeOf } from "../tensor/shape.ts";
import { expand, gammaSampler } from "./sampling.ts";
import { splitLastAxis } from "./shapes.ts";
import { lastAxis } from "./terms.ts";

/**
 * Dirichlet(α) over the simplex of the last axis (event shape `[K]`):
 * log p = log Γ(Σα) − Σ log Γ(αₖ) + Σ (αₖ − 1) log xₖ.
 *
 * @example
 * ```ts
 * const proportions = model((m) => {
 *   const theta = m.sample("theta", m.dirichlet([1, 1, 1]));
 *   return { theta };
 * });
 * priorSample(proportions, undefined).draws.theta[0]; // three proportions that sum to 1
 * ```
 */
export const dirichlet: Family<"alpha"> = {
  name: "dirichlet",
  params: ["alpha"],
  domains: { alpha: "positive" },
  discrete: false,
  shapes: (p, fail) => {
    const { batch, k } = splitLastAxis("alpha", p.alpha, fail);
    return { batch, event: [k] };
  },
  support: () => ({ kind: "simplex" }),
  logProb: (m, x, p) => {
    const axis = lastAxis(m, p.alpha);
    const norm = m.sub(m.lgamma(m.sum(p.alpha, axis)), m.sum(m.lgamma(p.alpha), axis));
    const kernel = m.mul(m.sub(p.alpha, 1), m.log(x));
    return m.add(m.sum(kernel, lastAxis(m, kernel)), norm);
  },
  // Normalized gammas, in log space: for α < 1 a gamma draw can underflow to
  // 0, so log Gamma(α) is drawn as log Gamma(α + 1) + log(u)/α (Marsaglia–Tsang's boost).
  sample: (rng, p, batch) => {
    const k = p.alpha.shape[p.alpha.shape.length - 1];
    const alpha = expand(p.alpha, [...batch, k]);
    const gamma = gammaSampler(rng);
    const out = new Float64Array(sizeOf(batch) * k);
    for (let r = 0; r < out.length; r += k) {
      let top = -Infinity;
      for (let j = 0; j < k; j++) {
        const a = alpha[r + j];
        const logG = a >= 1 ? Math.log(gamma(a, 1)) : Math.log(gamma(a + 1, 1)) + Math.log(rng.uniform()) / a;
        out[r + j] = logG;
        top = Math.max(top, logG);
      }
      let total = 0;
      for (let j = 0; j < k; j++) total += out[r + j] = Math.exp(out[r + j] - top);
      for (let j = 0; j < k; j++) out[r + j] /= total;
    }
    return out;
  },
};
