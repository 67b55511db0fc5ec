/**
 * posteriordb `nes2000-nes` (model `nes`, ARM book): party identification
 * regressed on ideology, race, age group, education, gender and income.
 *
 * age30_44, age45_64, age65up = [age_discrete = 2, 3, 4] (transformed data);
 * partyid7 ~ Normal(β₁ + β₂·real_ideo + β₃·race_adj + β₄·age30_44
 * + β₅·age45_64 + β₆·age65up + β₇·educ1 + β₈·gender + β₉·income, σ); flat
 * priors (σ > 0). d = 10.
 *
 * Departure: no comparison operator in the algebra, so the age indicators
 * are computed in TypeScript and enter as data sites.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import { addAll } from "../lib.ts";
import raw from "./data/nes2000-nes.json" with { type: "json" };

/** The NES 2000 data (N = 476). */
export interface NesData {
  readonly N: number;
  readonly partyid7: readonly number[];
  readonly real_ideo: readonly number[];
  readonly race_adj: readonly number[];
  readonly educ1: readonly number[];
  readonly gender: readonly number[];
  readonly income: readonly number[];
  readonly age_discrete: readonly number[];
}

/** The posterior's data, as posteriordb has it. */
export const data: NesData = raw;

/** Linear regression on nine predictors. */
export default model((m, d: NesData) => {
  const beta = m.sample("beta", m.flat(), { shape: [9] });
  const sigma = m.sample("sigma", m.halfFlat());
  const age = (level: number) => d.age_discrete.map((a) => (a === level ? 1 : 0));
  const predictors = [
    m.data("real_ideo", d.real_ideo),
    m.data("race_adj", d.race_adj),
    m.data("age30_44", age(2)),
    m.data("age45_64", age(3)),
    m.data("age65up", age(4)),
    m.data("educ1", d.educ1),
    m.data("gender", d.gender),
    m.data("income", d.income),
  ];
  const terms = predictors.map((x, k) => m.mul(m.at(beta, k + 1), x));
  m.observe("partyid7", m.normal(addAll(m, [m.at(beta, 0), ...terms]), sigma), d.partyid7);
  return { beta, sigma };
});
