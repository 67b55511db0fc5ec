/**
 * posteriordb `mesquite-logmesquite` (model `logmesquite`, ARM book): the
 * mesquite regression on the log scale.
 *
 * log_weight ~ Normal(β₁ + β₂·log diam1 + β₃·log diam2 + β₄·log canopy_height
 * + β₅·log total_height + β₆·log density + β₇·group, σ) (the logs are
 * Stan's transformed data; `group` enters untransformed); flat priors
 * (σ > 0). d = 8.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import { addAll } from "../lib.ts";
import raw from "./data/mesquite-logmesquite.json" with { type: "json" };
import type { MesquiteData } from "./mesquite-mesquite.ts";

/** The posterior's data, as posteriordb has it. */
export const data: MesquiteData = raw;

/** Log-log regression on six predictors. */
export default model((m, d: MesquiteData) => {
  const beta = m.sample("beta", m.flat(), { shape: [7] });
  const sigma = m.sample("sigma", m.halfFlat());
  const logged = (["diam1", "diam2", "canopy_height", "total_height", "density"] as const).map((name) => m.log(m.data(name, d[name])));
  const predictors = [...logged, m.data("group", d.group)];
  const terms = predictors.map((x, k) => m.mul(m.at(beta, k + 1), x));
  const log_weight = m.log(m.data("weight", d.weight));
  m.observe("log_weight", m.normal(addAll(m, [m.at(beta, 0), ...terms]), sigma), log_weight);
  return { beta, sigma };
});
