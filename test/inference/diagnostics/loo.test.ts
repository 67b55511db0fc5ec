import { beforeAll, describe, expect, test } from "vitest";
import { loo, looCompare, relativeEff, waic } from "../../../src/inference/diagnostics/loo.ts";
import { PsisInputError } from "../../../src/inference/diagnostics/psis.ts";
import { Rng } from "../../../src/random/rng.ts";
import { agreementTests, type LogLikCase, looInR } from "./rLoo.ts";

// Sampled models (eight schools, kidiq) against R are in loo.slow.test.ts;
// these synthetic matrices take no sampling and cover what those may not.

const Y = (() => {
  const rng = new Rng(5);
  // 20 points near 0 and an outlier at 6, which gives a k̂ above 0.7.
  return Array.from({ length: 20 }, (_, i) => (i === 19 ? 6 : rng.normal() * 0.5));
})();

/**
 * Two AR(1) chains (ρ = 0.6, so r_eff is well below 1) of θ ~ N(0, sd²)
 * and log N(yᵢ | θ, 1) of the points Y: `sd` makes two models of the same
 * data for looCompare.
 */
function ar1Case(sd: number, seed: number): LogLikCase {
  const rng = new Rng(seed);
  const [chains, perChain] = [2, 400];
  const logLik = new Float64Array(chains * perChain * Y.length);
  for (let c = 0; c < chains; c++) {
    let theta = sd * rng.normal();
    for (let t = 0; t < perChain; t++) {
      theta = 0.6 * theta + 0.8 * sd * rng.normal();
      for (let i = 0; i < Y.length; i++)
        logLik[(c * perChain + t) * Y.length + i] = -0.5 * (Y[i] - theta) ** 2 - 0.5 * Math.log(2 * Math.PI);
    }
  }
  return { logLik, draws: chains * perChain, observations: Y.length, chains };
}

/** A column whose likelihood does not depend on θ (r_eff 0.5 in loo, flat PSIS tail, k̂ = Inf) beside ordinary ones. */
function constantColumnCase(): LogLikCase {
  const c = ar1Case(0.3, 7);
  const logLik = c.logLik.slice();
  for (let s = 0; s < c.draws; s++) logLik[s * c.observations] = -1.25;
  return { ...c, logLik };
}

const cases: Record<string, LogLikCase> = {};
let r: ReturnType<typeof looInR>;

beforeAll(() => {
  cases.ar1 = ar1Case(0.3, 6);
  cases.ar1Wide = ar1Case(2, 8);
  cases.constantColumn = constantColumnCase();
  r = looInR(cases, ["ar1", "ar1Wide"]);
}, 120_000);

agreementTests(["ar1", "ar1Wide", "constantColumn"], ["ar1", "ar1Wide"], () => ({ cases, r }));

describe("verdicts, warnings and bad input", () => {
  test("the outlier is counted as bad and named in the warning", () => {
    const c = cases.ar1;
    const res = loo(c.logLik, c.draws, c.observations, { rEff: r.fits.ar1.rEff });
    const high = [...res.pointwise.khat].filter((k) => k > 0.7).length;
    expect(high).toBeGreaterThan(0);
    expect(res.khatCounts.bad + res.khatCounts["very bad"]).toBe(high);
    expect(res.khatCounts.good + res.khatCounts.ok + high).toBe(c.observations);
    expect(res.warnings.join("\n")).toMatch(new RegExp(`${high} of 20 observations? ha(s|ve) Pareto k̂ > 0\\.7 \\(observations? .*20\\)`));
  });

  test("a wide prior inflates p_waic past 0.4 and waic warns as loo does", () => {
    const c = cases.ar1Wide;
    const w = waic(c.logLik, c.draws, c.observations);
    const high = [...w.pointwise.pWaic].filter((p) => p > 0.4).length;
    expect(high).toBeGreaterThan(0);
    expect(w.warnings).toEqual([
      `${high} (${((100 * high) / 20).toFixed(1)}%) p_waic estimates greater than 0.4. We recommend trying loo instead.`,
    ]);
  });

  test("too few draws for a Pareto tail: k̂ = ∞ and a warning", () => {
    const c = cases.ar1;
    const short = c.logLik.subarray(0, 20 * c.observations);
    const res = loo(short, 20, c.observations);
    expect([...res.pointwise.khat].every((k) => k === Infinity)).toBe(true);
    expect(res.warnings[0]).toMatch(/20 draws are too few/);
  });

  test("a NaN or infinite log-likelihood throws, naming observation and draw (loo refuses them too)", () => {
    const c = cases.ar1;
    const ll = c.logLik.slice();
    ll[3 * c.observations + 6] = -Infinity;
    for (const f of [
      () => loo(ll, c.draws, c.observations),
      () => waic(ll, c.draws, c.observations),
      () => relativeEff(ll, c.draws, c.observations, 2),
    ]) {
      expect(f).toThrow(PsisInputError);
      expect(f).toThrow(/observation 7: .*draw 4 /);
    }
  });

  test("shapes and r_eff are checked", () => {
    const c = cases.ar1;
    expect(() => loo(c.logLik, c.draws + 1, c.observations)).toThrow(RangeError);
    expect(() => loo(c.logLik, c.draws, c.observations, { rEff: [1, 1] })).toThrow(/one per observation/);
    expect(() => loo(c.logLik, c.draws, c.observations, { rEff: 0 })).toThrow(/positive/);
    expect(() => relativeEff(c.logLik, c.draws, c.observations, 3)).toThrow(RangeError);
  });

  test("looCompare refuses models of different data, or a single model", () => {
    const a = loo(cases.ar1.logLik, cases.ar1.draws, cases.ar1.observations);
    const b = loo(cases.ar1.logLik.subarray(0, 400 * 20), 400, 20);
    const c = loo(cases.ar1.logLik.subarray(0, 400 * 19), 400, 19);
    expect(() => looCompare({ a, c })).toThrow(/number of observations/);
    expect(() => looCompare({ a })).toThrow(/two models/);
    expect(looCompare({ a, b })).toHaveLength(2);
  });
});
