/**
 * posteriordb `kilpisjarvi_mod-kilpisjarvi` (model `kilpisjarvi`): a linear
 * trend in summer temperatures at Kilpisjärvi, with priors set by the data.
 *
 * α ~ Normal(pmualpha, psalpha); β ~ Normal(pmubeta, psbeta);
 * y ~ Normal(α + β·x, σ); σ flat on (0, ∞). d = 3. (`xpred` is for
 * prediction and unused.)
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import raw from "./data/kilpisjarvi_mod-kilpisjarvi.json" with { type: "json" };

/** The Kilpisjärvi data (N = 62) and prior settings. */
export interface KilpisjarviData {
  readonly N: number;
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly xpred: number;
  readonly pmualpha: number;
  readonly psalpha: number;
  readonly pmubeta: number;
  readonly psbeta: number;
}

/** The posterior's data, as posteriordb has it. */
export const data: KilpisjarviData = raw;

/** Linear trend with informative priors. */
export default model((m, d: KilpisjarviData) => {
  const alpha = m.sample("alpha", m.normal(m.data("pmualpha", d.pmualpha), m.data("psalpha", d.psalpha)));
  const beta = m.sample("beta", m.normal(m.data("pmubeta", d.pmubeta), m.data("psbeta", d.psbeta)));
  const sigma = m.sample("sigma", m.halfFlat());
  const x = m.data("x", d.x);
  m.observe("y", m.normal(m.add(alpha, m.mul(beta, x)), sigma), d.y);
  return { alpha, beta, sigma };
});
