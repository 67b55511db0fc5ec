/**
 * posteriordb `eight_schools-eight_schools_noncentered` (model
 * `eight_schools_noncentered`): the non-centered eight schools.
 *
 * θ̃_j ~ Normal(0, 1) (Stan's `theta_trans`); μ ~ Normal(0, 5);
 * τ ~ Half-Cauchy(0, 5); θ = θ̃·τ + μ (a transformed parameter: here a
 * deterministic, reported as posteriordb reports it); y_j ~ Normal(θ_j, σ_j).
 * d = 10.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import raw from "./data/eight_schools-eight_schools_noncentered.json" with { type: "json" };
import type { EightSchoolsData } from "./eight_schools-eight_schools_centered.ts";

/** The posterior's data, as posteriordb has it. */
export const data: EightSchoolsData = raw;

/** Non-centered eight schools. */
export default model((m, d: EightSchoolsData) => {
  const theta_trans = m.sample("theta_trans", m.normal(0, 1), { shape: [d.J] });
  const mu = m.sample("mu", m.normal(0, 5));
  const tau = m.sample("tau", m.halfCauchy(5));
  const theta = m.deterministic("theta", m.add(m.mul(theta_trans, tau), mu));
  m.observe("y", m.normal(theta, m.data("sigma", d.sigma)), d.y);
  return { theta_trans, mu, tau, theta };
});
