/**
 * posteriordb `Rate_3_data-Rate_3_model` (Lee & Wagenmakers): one rate
 * shared by two binomial counts.
 *
 * θ ~ Beta(1, 1); k1 ~ Binomial(n1, θ); k2 ~ Binomial(n2, θ). d = 1.
 * Exact posterior Beta(13, 9).
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import raw from "./data/Rate_3_data-Rate_3_model.json" with { type: "json" };

/** The data: k1 of n1 and k2 of n2. */
export interface Rate3Data {
  readonly n1: number;
  readonly n2: number;
  readonly k1: number;
  readonly k2: number;
}

/** The posterior's data, as posteriordb has it. */
export const data: Rate3Data = raw;

/** A common rate. */
export default model((m, d: Rate3Data) => {
  const theta = m.sample("theta", m.beta(1, 1));
  m.observe("k1", m.binomial(m.data("n1", d.n1), theta), d.k1);
  m.observe("k2", m.binomial(m.data("n2", d.n2), theta), d.k2);
  return { theta };
});
