/**
 * posteriordb `bball_drive_event_0-hmm_drive_0` (model `hmm_drive_0`): a
 * two-state HMM of a basketball player's drives, exponential emissions for
 * 1/speed `u` and hoop distance `v`, states marginalized by the forward
 * algorithm.
 *
 * θ₁ ~ Dirichlet(alpha[1, ]), θ₂ ~ Dirichlet(alpha[2, ]) (rows of the
 * transition matrix); φ, λ positive and ordered with φ₁ ~ Normal(0, 1),
 * φ₂ ~ Normal(3, 1), λ₁ ~ Normal(0, 1), λ₂ ~ Normal(3, 1);
 * emission log density of state k at t: Exp(u_t | φ_k) + Exp(v_t | λ_k);
 * forward recursion as in hmm_example. d = 1 + 1 + 2 + 2 = 6.
 *
 * The Viterbi decoding of Stan's generated quantities is left out.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import { hmmForward, lpdf } from "../lib.ts";
import raw from "./data/bball_drive_event_0-hmm_drive_0.json" with { type: "json" };

/** The drive data: N = 416 time points, K = 2 states, transition prior `alpha` (K×K). */
export interface DriveData {
  readonly K: number;
  readonly N: number;
  readonly u: readonly number[];
  readonly v: readonly number[];
  readonly alpha: readonly (readonly number[])[];
}

/** The posterior's data, as posteriordb has it. */
export const data: DriveData = raw;

/** Two-state HMM with exponential emissions. */
export default model((m, d: DriveData) => {
  const { N, K } = d;
  const alpha = m.data("alpha", d.alpha);
  const theta1 = m.sample("theta1", m.dirichlet(m.at(alpha, 0)));
  const theta2 = m.sample("theta2", m.dirichlet(m.at(alpha, 1)));
  const phi = m.sample("phi", m.normal([0, 3], 1), { transform: "positiveOrdered" });
  const lambda = m.sample("lambda", m.normal([0, 3], 1), { transform: "positiveOrdered" });
  const theta = m.deterministic("theta", m.concat([m.reshape(theta1, [1, K]), m.reshape(theta2, [1, K])]));

  const u = m.reshape(m.data("u", d.u), [N, 1]);
  const v = m.reshape(m.data("v", d.v), [N, 1]);
  const emit = m.add(lpdf(m, m.exponential(phi), u), lpdf(m, m.exponential(lambda), v)); // [N, K]
  const logTheta = m.log(theta);
  m.factor("forward", hmmForward(m, emit, logTheta));
  return { theta1, theta2, phi, lambda };
});
