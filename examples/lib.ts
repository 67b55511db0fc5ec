/**
 * Small helpers shared by the examples, written over the public algebra.
 * @module
 */
import type { Dist } from "../src/dsl/distribution.ts";
import type { ModelAlg } from "../src/dsl/model.ts";
import type { Operand, Tensor } from "../src/dsl/tensor.ts";

/**
 * Stan's `foo_lpdf(x | …)` as an expression: the elementwise log density of
 * `dist` at `x` (broadcasting `x` against the parameters), for use inside
 * `m.factor` or a `m.scan` body — an HMM's emission terms, a `target +=`.
 * Unlike `m.observe` it creates no site.
 *
 * @example
 * ```ts
 * const emit = lpdf(m, m.normal(mu, 1), m.reshape(y, [N, 1])); // [N, K]
 * ```
 */
export function lpdf(m: ModelAlg, dist: Dist, x: Operand): Tensor {
  return dist.family.logProb(m, lift(m, x), dist.params);
}

/**
 * A sum of several operands, `terms[0] + terms[1] + …` (Stan's
 * `beta[1] + beta[2] * x2 + beta[3] * x3 …` reads as one call).
 *
 * @example
 * ```ts
 * const mu = addAll(m, [m.at(beta, 0), m.mul(m.at(beta, 1), x)]);
 * ```
 */
export function addAll(m: ModelAlg, terms: readonly Operand[]): Tensor {
  if (terms.length === 0) throw new RangeError("addAll: no terms");
  return terms.slice(1).reduce<Tensor>((acc, t) => m.add(acc, t), lift(m, terms[0]));
}

/**
 * The forward algorithm of a hidden Markov model: log p(y₁…y_N) with the
 * states summed out, from the emission log densities `emit` ([N, K], row t
 * the log density of y_t in each state) and the log transition matrix
 * `logTheta` ([K, K], row j the transitions out of state j). The first
 * state's prior is uniform up to a constant, as in posteriordb's HMMs:
 * γ₁ = emit₁, γ_t[k] = logΣ_j (γ_{t−1}[j] + logθ[j, k]) + emit_t[k].
 *
 * @example
 * ```ts
 * m.factor("forward", hmmForward(m, lpdf(m, m.normal(mu, 1), m.reshape(y, [N, 1])), m.log(theta)));
 * ```
 */
export function hmmForward(m: ModelAlg, emit: Tensor, logTheta: Tensor): Tensor {
  const [n, k] = m.shapeOf(emit);
  const {
    carry: [gammaN],
  } = m.scan(
    ([gamma], [emitT]) => {
      const acc = m.add(m.reshape(gamma, [k, 1]), logTheta);
      return { carry: [m.add(m.logSumExp(acc, 0), emitT)], outputs: [] };
    },
    [m.at(emit, 0)],
    [m.slice(emit, 1, n)],
  );
  return m.logSumExp(gammaN);
}

/** A plain number (array) as a constant tensor; tensors pass through. */
function lift(m: ModelAlg, x: Operand): Tensor {
  return typeof x === "number" || Array.isArray(x) ? m.constant(x as Parameters<ModelAlg["constant"]>[0]) : (x as Tensor);
}
