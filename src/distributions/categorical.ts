/**
 * The categorical distribution over probabilities.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import type { Shape } from "../tensor/shape.ts";
import { sizeOf } from "../tensor/shape.ts";
import type { Rng } from "../random/rng.ts";
import { expand } from "./sampling.ts";
import { splitLastAxis } from "./shapes.ts";
import { lastAxis, oneHot } from "./terms.ts";

/**
 * One categorical draw per batch element from rows of non-negative weights
 * `w` (`[...batch, k]`, row-major, normalized here): the inverse CDF at a
 * uniform. Shared with the logit form and the mixture.
 */
export function drawCategorical(rng: Rng, w: Float64Array, k: number, batch: Shape): Float64Array {
  const out = new Float64Array(sizeOf(batch));
  for (let b = 0; b < out.length; b++) {
    let total = 0;
    for (let j = 0; j < k; j++) total += w[b * k + j];
    let u = rng.uniform() * total;
    let pick = -1;
    let lastPositive = 0;
    for (let j = 0; j < k && pick < 0; j++) {
      const wj = w[b * k + j];
      if (wj > 0) lastPositive = j;
      if (u < wj) pick = j;
      else u -= wj;
    }
    // Rounding may leave u just above the cumulative sum: take the last category with mass.
    out[b] = pick < 0 ? lastPositive : pick;
  }
  return out;
}

/**
 * Categorical over 0 … K−1 with probabilities `p` along the last axis. A
 * value is a real tensor holding integers.
 *
 * The log density is log Σₖ 1[x = k]·pₖ, with the one-hot row built by
 * arithmetic from x ({@link oneHot}): the algebra cannot index a tensor with
 * another tensor, and this form works in every interpreter for observed
 * data and gives −∞ for values outside 0 … K−1 (so the support is declared
 * as `count` and the upper end is enforced by the density). Latent
 * categorical sites are discrete: they have prior draws but must be
 * marginalized for gradient-based inference.
 *
 * @example
 * ```ts
 * const choices = model((m, data: { choice: number[] }) => {
 *   m.observe("choice", m.categorical([0.2, 0.5, 0.3]), data.choice);
 *   return {};
 * });
 * logDensity(choices, { choice: [1, 2, 1] }).logpConstrained({}); // log(0.5 · 0.3 · 0.5)
 * ```
 */
export const categorical: Family<"p"> = {
  name: "categorical",
  params: ["p"],
  domains: { p: "simplex" },
  discrete: true,
  shapes: (p, fail) => ({ batch: splitLastAxis("p", p.p, fail).batch, event: [] }),
  support: () => ({ kind: "count" }),
  logProb: (m, x, p) => {
    const shape = m.shapeOf(p.p);
    const picked = m.mul(oneHot(m, x, shape[shape.length - 1]), p.p);
    return m.log(m.sum(picked, lastAxis(m, picked)));
  },
  sample: (rng, p, batch) => {
    const k = p.p.shape[p.p.shape.length - 1];
    return drawCategorical(rng, expand(p.p, [...batch, k]), k, batch);
  },
};
