/**
 * posteriordb `mesquite-mesquite` (model `mesquite`, ARM book): the weight
 * of mesquite bushes regressed on six measurements.
 *
 * weight ~ Normal(β₁ + β₂·diam1 + β₃·diam2 + β₄·canopy_height
 * + β₅·total_height + β₆·density + β₇·group, σ); flat priors (σ > 0). d = 8.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import { addAll } from "../lib.ts";
import raw from "./data/mesquite-mesquite.json" with { type: "json" };

/** The mesquite data (N = 46). */
export interface MesquiteData {
  readonly N: number;
  readonly weight: readonly number[];
  readonly diam1: readonly number[];
  readonly diam2: readonly number[];
  readonly canopy_height: readonly number[];
  readonly total_height: readonly number[];
  readonly density: readonly number[];
  readonly group: readonly number[];
}

/** The predictors, in the order of β₂ … β₇. */
export const MESQUITE_PREDICTORS = ["diam1", "diam2", "canopy_height", "total_height", "density", "group"] as const;

/** The posterior's data, as posteriordb has it. */
export const data: MesquiteData = raw;

/** Linear regression on six predictors. */
export default model((m, d: MesquiteData) => {
  const beta = m.sample("beta", m.flat(), { shape: [7] });
  const sigma = m.sample("sigma", m.halfFlat());
  const terms = MESQUITE_PREDICTORS.map((name, k) => m.mul(m.at(beta, k + 1), m.data(name, d[name])));
  m.observe("weight", m.normal(addAll(m, [m.at(beta, 0), ...terms]), sigma), d.weight);
  return { beta, sigma };
});
