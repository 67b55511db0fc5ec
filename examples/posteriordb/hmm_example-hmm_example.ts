/**
 * posteriordb `hmm_example-hmm_example` (model `hmm_example`): a hidden
 * Markov model with K = 2 states and normal emissions, the states
 * marginalized by the forward algorithm.
 *
 * θ₁, θ₂ ∈ simplex(K) (rows of the transition matrix; no prior in Stan, i.e.
 * uniform on the simplex = Dirichlet(1, …, 1)); μ positive and ordered,
 * μ₁ ~ Normal(3, 1), μ₂ ~ Normal(10, 1). Emission y_t | z_t = k ~ Normal(μ_k, 1).
 * Forward recursion: γ₁[k] = log N(y₁ | μ_k, 1);
 * γ_t[k] = logΣexp_j(γ_{t−1}[j] + log θ[j, k]) + log N(y_t | μ_k, 1);
 * target += logΣexp(γ_N). d = 1 + 1 + 2 = 4 (6 constrained values).
 *
 * The emission terms are computed for all t at once ([N, K]); the
 * recursion is a `m.scan` over their rows carrying γ. The Viterbi decoding
 * of Stan's generated quantities is left out (it reports no parameter).
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import { hmmForward, lpdf } from "../lib.ts";
import raw from "./data/hmm_example-hmm_example.json" with { type: "json" };

/** The data: N = 100 observations, K = 2 states. */
export interface HmmData {
  readonly N: number;
  readonly K: number;
  readonly y: readonly number[];
}

/** The posterior's data, as posteriordb has it. */
export const data: HmmData = raw;

/** Two-state HMM with normal emissions. */
export default model((m, d: HmmData) => {
  const { N, K } = d;
  const theta1 = m.sample("theta1", m.dirichlet(m.fill(1, [K])));
  const theta2 = m.sample("theta2", m.dirichlet(m.fill(1, [K])));
  const mu = m.sample("mu", m.normal([3, 10], 1), { transform: "positiveOrdered" });
  const theta = m.deterministic("theta", m.concat([m.reshape(theta1, [1, K]), m.reshape(theta2, [1, K])]));

  const y = m.data("y", d.y);
  const emit = lpdf(m, m.normal(mu, 1), m.reshape(y, [N, 1])); // [N, K]
  const logTheta = m.log(theta); // [j, k]
  m.factor("forward", hmmForward(m, emit, logTheta));
  return { theta1, theta2, mu };
});
