/**
 * posteriordb `kidiq_with_mom_work-kidscore_mom_work` (model
 * `kidscore_mom_work`, ARM book): kid_score on the mother's work history, a
 * four-level factor coded by three indicators.
 *
 * work_j = [mom_work = j], j = 2, 3, 4 (transformed data);
 * kid_score ~ Normal(β₁ + β₂·work2 + β₃·work3 + β₄·work4, σ); β and σ have
 * Stan's improper flat priors (σ > 0). d = 5.
 *
 * Departure: the algebra has no comparison operator (`==`), so the
 * indicators are computed from the data in plain TypeScript and enter as
 * data sites `work2`, `work3`, `work4`.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import { addAll } from "../lib.ts";
import raw from "./data/kidiq_with_mom_work-kidscore_mom_work.json" with { type: "json" };

/** The data (N = 434). */
export interface KidiqMomWorkData {
  readonly N: number;
  readonly kid_score: readonly number[];
  readonly mom_work: readonly number[];
}

/** The posterior's data, as posteriordb has it. */
export const data: KidiqMomWorkData = raw;

/** Regression on a factor. */
export default model((m, d: KidiqMomWorkData) => {
  const beta = m.sample("beta", m.flat(), { shape: [4] });
  const sigma = m.sample("sigma", m.halfFlat());
  const indicator = (level: number) =>
    m.data(
      `work${level}`,
      d.mom_work.map((w) => (w === level ? 1 : 0)),
    );
  const b = (k: number) => m.at(beta, k);
  const mu = addAll(m, [b(0), m.mul(b(1), indicator(2)), m.mul(b(2), indicator(3)), m.mul(b(3), indicator(4))]);
  m.observe("kid_score", m.normal(mu, sigma), d.kid_score);
  return { beta, sigma };
});
