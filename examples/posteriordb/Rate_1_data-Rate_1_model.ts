/**
 * posteriordb `Rate_1_data-Rate_1_model` (Lee & Wagenmakers): inferring a
 * rate from k successes in n trials.
 *
 * θ ~ Beta(1, 1); k ~ Binomial(n, θ). d = 1. Exact posterior Beta(6, 6).
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import raw from "./data/Rate_1_data-Rate_1_model.json" with { type: "json" };

/** The data: k successes in n trials. */
export interface Rate1Data {
  readonly n: number;
  readonly k: number;
}

/** The posterior's data, as posteriordb has it. */
export const data: Rate1Data = raw;

/** Beta-binomial. */
export default model((m, d: Rate1Data) => {
  const theta = m.sample("theta", m.beta(1, 1));
  m.observe("k", m.binomial(m.data("n", d.n), theta), d.k);
  return { theta };
});
