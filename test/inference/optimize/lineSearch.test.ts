/**
 * The strong-Wolfe line search and the cubic interpolation
 * (src/inference/optimize/lineSearch.ts) on one-dimensional objectives.
 */
import { describe, expect, it } from "vitest";
import type { LogDensity } from "../../../src/codegen/density.ts";
import { cubicMinimizer, LINE_SEARCH, wolfeLineSearch } from "../../../src/inference/optimize/lineSearch.ts";
import { objective } from "../../../src/inference/optimize/objective.ts";
import { failingWhere } from "./targets.ts";

/** log p = −(x⁴/4 − x), so f = x⁴/4 − x with its minimum at x = 1. */
const quartic: LogDensity = {
  dim: 1,
  logp: (x) => -(x[0] ** 4 / 4 - x[0]),
  logpGrad(x, g) {
    g[0] = -(x[0] ** 3 - 1);
    return -(x[0] ** 4 / 4 - x[0]);
  },
};

/** Runs the search from x = −2 along p = −f′(−2) = 9 with the initial step `alpha`; checks both Wolfe conditions. */
function searchFrom(density: LogDensity, alpha: number) {
  const obj = objective(density);
  const x = Float64Array.of(-2);
  const g = new Float64Array(1);
  const f0 = obj.evaluate(x, g)!;
  const p = Float64Array.of(-g[0]);
  const xOut = new Float64Array(1);
  const gOut = new Float64Array(1);
  const r = wolfeLineSearch(obj, x, f0, g, p, alpha, xOut, gOut);
  expect(r.ok).toBe(true);
  expect(xOut[0]).toBe(x[0] + r.alpha * p[0]);
  const slope0 = g[0] * p[0];
  expect(r.f).toBeLessThanOrEqual(f0 + LINE_SEARCH.c1 * r.alpha * slope0);
  expect(Math.abs(gOut[0] * p[0])).toBeLessThanOrEqual(LINE_SEARCH.c2 * Math.abs(slope0));
  return { r, obj };
}

describe("wolfeLineSearch", () => {
  it("meets the strong Wolfe conditions from a tiny, a fair and a far too long initial step", () => {
    // 1e-6 needs the tenfold expansions; 100 (x = 898) needs the zoom back.
    for (const alpha of [1e-6, 0.2, 100]) searchFrom(quartic, alpha);
  });

  it("halves a step that lands where the density fails, and counts the failures", () => {
    const failing = failingWhere(quartic, (x) => x[0] > 3, "nan");
    const { obj } = searchFrom(failing, 10);
    expect(failing.failures).toBeGreaterThan(0);
    expect(obj.recovered).toBe(failing.failures);
  });

  it("fails rather than loops when every trial fails", () => {
    const failing = failingWhere(quartic, (x) => x[0] !== -2, "throw");
    const obj = objective(failing);
    const g = new Float64Array(1);
    const x = Float64Array.of(-2);
    const f0 = obj.evaluate(x, g)!;
    const r = wolfeLineSearch(obj, x, f0, g, Float64Array.of(-g[0]), 1, new Float64Array(1), new Float64Array(1));
    expect(r.ok).toBe(false);
    // The first trial and Stan's 10 restarts.
    expect(obj.recovered).toBe(1 + LINE_SEARCH.maxRestarts);
  });
});

describe("cubicMinimizer", () => {
  // c(s) = s³/3 − s: c(0) = 0, c′(0) = −1, c(2) = 2/3, c′(2) = 3; its local minimum is at s = 1.
  it("finds the cubic's minimum inside the interval, else the better end", () => {
    expect(cubicMinimizer(-1, 2, 2 / 3, 3, 0, 3)).toBeCloseTo(1, 14);
    expect(cubicMinimizer(-1, 2, 2 / 3, 3, 0, 0.5)).toBe(0.5);
    expect(cubicMinimizer(-1, 2, 2 / 3, 3, 1.5, 3)).toBe(1.5);
  });

  it("finds a quadratic's minimum (the cubic term vanishes)", () => {
    // c(s) = s² − s: c′(0) = −1, c(1) = 0, c′(1) = 1; minimum at 1/2.
    expect(cubicMinimizer(-1, 1, 0, 1, 1e-12, 1)).toBe(0.5);
  });
});
