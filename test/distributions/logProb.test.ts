/**
 * Log densities of every row of the table (cases.ts) against its reference
 * (stdlib's logpdf/logpmf, or closed forms computed independently there),
 * over parameters that include edges: tiny and huge scales, values at
 * bounds, far tails, zero counts, p ∈ {0, 1}, λ = 0, values outside the
 * support. Then the checks that are not one row each.
 */
import gammaLogpdf from "@stdlib/stats-base-dists-gamma-logpdf";
import normalLogpdf from "@stdlib/stats-base-dists-normal-logpdf";
import { describe, expect, it } from "vitest";
import { categoricalLogit } from "../../src/distributions/categoricalLogit.ts";
import { flat } from "../../src/distributions/flat.ts";
import { gamma } from "../../src/distributions/gamma.ts";
import { halfFlat } from "../../src/distributions/halfFlat.ts";
import { dist } from "../../src/distributions/index.ts";
import { mixtureFamily } from "../../src/distributions/mixture.ts";
import { normal } from "../../src/distributions/normal.ts";
import { poisson } from "../../src/distributions/poisson.ts";
import { CASES } from "./cases.ts";
import { close, logProb, m } from "./helpers.ts";

describe("log densities of the table's rows against their references", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const got = logProb(c.family, c.x, c.params);
    expect(got.shape).toEqual([c.xs.length]);
    c.xs.forEach((x, i) => {
      const want = c.ref(i);
      const tol = c.tol(i);
      if (!close(got.v[i], want, tol))
        expect.fail(`${c.name} at x = ${JSON.stringify(x)}: ${got.v[i]} vs reference ${want} (tolerance ${JSON.stringify(tol)})`);
    });
  });
});

describe("log densities beyond one row each", () => {
  it("broadcasts a column of values against a row of parameters", () => {
    const grid = logProb(gamma, [[1], [2]], { shape: [1, 2, 3], rate: 1 });
    expect(grid.shape).toEqual([2, 3]);
    expect(grid.v[5]).toBeCloseTo(gammaLogpdf(2, 3, 1), 12);
    expect(logProb(normal, [[0], [1]], { loc: [0, 0, 1], scale: 2 }).v[5]).toBeCloseTo(normalLogpdf(1, 1, 2), 12);
  });

  it("the categorical logit form takes a matrix of values", () => {
    const logits = [1, -2, 0.5];
    const lse = Math.log(logits.reduce((a, l) => a + Math.exp(l), 0));
    const got = logProb(
      categoricalLogit,
      [
        [0, 2],
        [1, 5],
      ],
      { logits },
    );
    expect(got.shape).toEqual([2, 2]);
    expect(got.v[0]).toBeCloseTo(logits[0] - lse, 13);
    expect(got.v[1]).toBeCloseTo(logits[2] - lse, 13);
    expect(got.v[2]).toBeCloseTo(logits[1] - lse, 13);
    expect(got.v[3]).toBe(-Infinity);
  });

  it("flat and half-flat have no prior sampler", () => {
    for (const f of [flat, halfFlat]) expect(f.sample).toBeUndefined();
  });

  it("a mixture names its parameters weights and c{k}_{name}, and is discrete with discrete components", () => {
    const fam = mixtureFamily([
      dist(normal, { loc: m.constant(-1), scale: m.constant(0.5) }),
      dist(normal, { loc: m.constant(2), scale: m.constant(1) }),
    ]);
    expect(fam.params).toEqual(["weights", "c0_loc", "c0_scale", "c1_loc", "c1_scale"]);
    expect(fam.discrete).toBe(false);
    const pois = mixtureFamily([dist(poisson, { rate: m.constant(0.1) }), dist(poisson, { rate: m.constant(4) })]);
    expect(pois.discrete).toBe(true);
  });
});
