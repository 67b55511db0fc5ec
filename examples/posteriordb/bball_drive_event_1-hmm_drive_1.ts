/**
 * posteriordb `bball_drive_event_1-hmm_drive_1` (model `hmm_drive_1`): the
 * drive HMM with normal emissions of known scales τ (for `u`) and ρ (for
 * `v`).
 *
 * θ₁ ~ Dirichlet(alpha[1, ]), θ₂ ~ Dirichlet(alpha[2, ]); φ, λ ordered
 * with φ₁ ~ Normal(0, 1), φ₂ ~ Normal(3, 1), λ₁ ~ Normal(0, 1),
 * λ₂ ~ Normal(3, 1); emission log density of state k at t:
 * N(u_t | φ_k, τ) + N(v_t | λ_k, ρ); forward recursion as in hmm_example.
 * d = 1 + 1 + 2 + 2 = 6.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import { hmmForward, lpdf } from "../lib.ts";
import raw from "./data/bball_drive_event_1-hmm_drive_1.json" with { type: "json" };
import type { DriveData } from "./bball_drive_event_0-hmm_drive_0.ts";

/** The drive data with the emission scales. */
export interface Drive1Data extends DriveData {
  readonly tau: number;
  readonly rho: number;
}

/** The posterior's data, as posteriordb has it. */
export const data: Drive1Data = raw;

/** Two-state HMM with normal emissions. */
export default model((m, d: Drive1Data) => {
  const { N, K } = d;
  const alpha = m.data("alpha", d.alpha);
  const theta1 = m.sample("theta1", m.dirichlet(m.at(alpha, 0)));
  const theta2 = m.sample("theta2", m.dirichlet(m.at(alpha, 1)));
  const phi = m.sample("phi", m.normal([0, 3], 1), { transform: "ordered" });
  const lambda = m.sample("lambda", m.normal([0, 3], 1), { transform: "ordered" });
  const theta = m.deterministic("theta", m.concat([m.reshape(theta1, [1, K]), m.reshape(theta2, [1, K])]));

  const u = m.reshape(m.data("u", d.u), [N, 1]);
  const v = m.reshape(m.data("v", d.v), [N, 1]);
  const tau = m.data("tau", d.tau);
  const rho = m.data("rho", d.rho);
  const emit = m.add(lpdf(m, m.normal(phi, tau), u), lpdf(m, m.normal(lambda, rho), v)); // [N, K]
  const logTheta = m.log(theta);
  m.factor("forward", hmmForward(m, emit, logTheta));
  return { theta1, theta2, phi, lambda };
});
