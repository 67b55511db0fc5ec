/**
 * The categorical distribution over unnormalized log-probabilities.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { drawCategorical } from "./categorical.ts";
import { expand } from "./sampling.ts";
import { splitLastAxis } from "./shapes.ts";
import { lastAxis, oneHot } from "./terms.ts";

/**
 * Categorical over 0 … K−1 with probabilities softmax(logits) along the
 * last axis (Stan's categorical_logit). As for {@link categorical}, x picks
 * its logit through a one-hot row built from x by arithmetic:
 * Σₖ 1[x = k]·logitₖ − logSumExp(logits), plus log Σₖ 1[x = k], which is 0
 * for x in 0 … K−1 and −∞ outside.
 *
 * @example
 * ```ts
 * const multinomialLogit = model((m, data: { features: number[][]; choice: number[] }) => {
 *   const beta = m.sample("beta", m.normal(0, 1), { shape: [2, 3] });
 *   m.observe("choice", m.categoricalLogit(m.matmul(data.features, beta)), data.choice);
 *   return { beta };
 * });
 * const choices = { features: [[1, 0.5], [1, -1]], choice: [2, 0] };
 * logDensity(multinomialLogit, choices).logLikConstrained({ beta: [[0, 0, 0], [0, 0, 0]] }).choice; // [log ⅓, log ⅓]
 * ```
 */
export const categoricalLogit: Family<"logits"> = {
  name: "categorical_logit",
  params: ["logits"],
  domains: { logits: "real" },
  discrete: true,
  shapes: (p, fail) => ({ batch: splitLastAxis("logits", p.logits, fail).batch, event: [] }),
  support: () => ({ kind: "count" }),
  logProb: (m, x, p) => {
    const shape = m.shapeOf(p.logits);
    const hot = oneHot(m, x, shape[shape.length - 1]);
    const picked = m.mul(hot, p.logits);
    const inRange = m.log(m.sum(hot, lastAxis(m, hot)));
    return m.add(m.sub(m.sum(picked, lastAxis(m, picked)), m.logSumExp(p.logits, lastAxis(m, p.logits))), inRange);
  },
  sample: (rng, p, batch) => {
    const k = p.logits.shape[p.logits.shape.length - 1];
    const w = Float64Array.from(expand(p.logits, [...batch, k]));
    // Softmax row by row, shifted by the row maximum so exp cannot overflow.
    for (let r = 0; r < w.length; r += k) {
      let top = -Infinity;
      for (let j = 0; j < k; j++) top = Math.max(top, w[r + j]);
      for (let j = 0; j < k; j++) w[r + j] = Math.exp(w[r + j] - top);
    }
    return drawCategorical(rng, w, k, batch);
  },
};
