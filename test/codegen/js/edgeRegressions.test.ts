/**
 * Points where the edges property (edges.properties.ts) found a compiled
 * log density or gradient that was not finite while the reference's was,
 * each named after what was wrong; now compiled = reference there, to the
 * property's tolerance (EDGE_RTOL, see that file).
 */
import { describe, expect, it } from "vitest";
import { compareDensity } from "../../../src/codegen/gradientCheck.ts";
import { model } from "../../../src/dsl/model.ts";
import { EDGE_RTOL, pairOf, type Pair } from "./edges.properties.ts";

/** The components of compiled and reference at θ that do not agree (empty when all do: equal, or the same infinity). */
function disagreements(pair: Pair, theta: readonly number[]): string[] {
  const grad = new Float64Array(pair.compiled.dim);
  const logp = pair.compiled.logpGrad(Float64Array.from(theta), grad);
  const want = pair.reference.logpGrad(Float64Array.from(theta));
  expect(want.logp).toSatisfy(Number.isFinite);
  return compareDensity({ logp, grad }, want, pair.compiled.layout, EDGE_RTOL)
    .filter((c) => c.verdict !== "agree" && c.verdict !== "same non-finite")
    .map((c) => `${c.label}: compiled ${c.compiled}, reference ${c.reference}`);
}

describe("edge cases the property found", () => {
  it("a uniform(−1, 2) parameter at z ≥ 40, where σ(z) rounds to 1: the bound's slack was folded into the constant 3 (log 0)", () => {
    const pair = pairOf(
      "uniform",
      model((m) => {
        const u = m.sample("u", m.uniform(-1, 2));
        m.observe("y", m.normal(u, 1), 0.5);
        return {};
      }),
      undefined,
    );
    for (const z of [40, 143.11965929253162, 700, 2.87696027420714e253]) expect(disagreements(pair, [z])).toEqual([]);
  });

  it("a binomial count of a beta probability at z = −354: p + (1 − 1) was summed as (p + 1) − 1, which is 0", () => {
    const pair = pairOf(
      "beta-binomial",
      model((m) => {
        const p = m.sample("p", m.beta(2, 2));
        m.observe("k", m.binomial(10, p), 3);
        return {};
      }),
      undefined,
    );
    expect(disagreements(pair, [-354])).toEqual([]);
  });
});
