/**
 * posteriordb `eight_schools-eight_schools_centered` (model
 * `eight_schools_centered`): the centered eight schools with a half-Cauchy
 * prior on τ.
 *
 * μ ~ Normal(0, 5); τ ~ Half-Cauchy(0, 5); θ_j ~ Normal(μ, τ);
 * y_j ~ Normal(θ_j, σ_j). d = 10. (Stan declares θ first; here μ and τ come
 * first because θ's prior uses them, so the layout order differs.)
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import raw from "./data/eight_schools-eight_schools_centered.json" with { type: "json" };

/** The eight schools data (J = 8). */
export interface EightSchoolsData {
  readonly J: number;
  readonly y: readonly number[];
  readonly sigma: readonly number[];
}

/** The posterior's data, as posteriordb has it. */
export const data: EightSchoolsData = raw;

/** Centered eight schools. */
export default model((m, d: EightSchoolsData) => {
  const mu = m.sample("mu", m.normal(0, 5));
  const tau = m.sample("tau", m.halfCauchy(5));
  const theta = m.sample("theta", m.normal(mu, tau), { shape: [d.J] });
  m.observe("y", m.normal(theta, m.data("sigma", d.sigma)), d.y);
  return { theta, mu, tau };
});
