/**
 * Log densities of the scalar continuous families against stdlib's logpdf
 * (or closed forms where stdlib has none), over a table of parameters that
 * includes edges: tiny and huge scales, values at bounds, far tails.
 */
import betaLogpdf from "@stdlib/stats-base-dists-beta-logpdf";
import cauchyLogpdf from "@stdlib/stats-base-dists-cauchy-logpdf";
import exponentialLogpdf from "@stdlib/stats-base-dists-exponential-logpdf";
import gammaLogpdf from "@stdlib/stats-base-dists-gamma-logpdf";
import lognormalLogpdf from "@stdlib/stats-base-dists-lognormal-logpdf";
import normalLogpdf from "@stdlib/stats-base-dists-normal-logpdf";
import tLogpdf from "@stdlib/stats-base-dists-t-logpdf";
import uniformLogpdf from "@stdlib/stats-base-dists-uniform-logpdf";
import weibullLogpdf from "@stdlib/stats-base-dists-weibull-logpdf";
import { describe, expect, it } from "vitest";
import type { Family } from "../../src/dsl/distribution.ts";
import { beta } from "../../src/distributions/beta.ts";
import { cauchy } from "../../src/distributions/cauchy.ts";
import { exponential } from "../../src/distributions/exponential.ts";
import { flat } from "../../src/distributions/flat.ts";
import { gamma } from "../../src/distributions/gamma.ts";
import { halfCauchy } from "../../src/distributions/halfCauchy.ts";
import { halfFlat } from "../../src/distributions/halfFlat.ts";
import { halfNormal } from "../../src/distributions/halfNormal.ts";
import { halfStudentT } from "../../src/distributions/halfStudentT.ts";
import { inverseGamma } from "../../src/distributions/inverseGamma.ts";
import { laplace } from "../../src/distributions/laplace.ts";
import { logistic } from "../../src/distributions/logistic.ts";
import { logNormal } from "../../src/distributions/logNormal.ts";
import { normal } from "../../src/distributions/normal.ts";
import { studentT } from "../../src/distributions/studentT.ts";
import { uniform } from "../../src/distributions/uniform.ts";
import { weibull } from "../../src/distributions/weibull.ts";
import { logProb, near } from "./helpers.ts";

type P = Record<string, number>;
interface Case {
  family: Family;
  params: P;
  xs: number[];
  ref: (x: number, p: P) => number;
}

const LN2 = Math.LN2;
const tLoc = (x: number, p: P) => tLogpdf((x - (p.loc ?? 0)) / p.scale, p.nu) - Math.log(p.scale);

const cases: Case[] = [
  { family: normal, params: { loc: 0, scale: 1 }, xs: [0, 1, -3, 40], ref: (x, p) => normalLogpdf(x, p.loc, p.scale) },
  { family: normal, params: { loc: 2, scale: 1e-8 }, xs: [2, 2 + 1e-8, 2 - 3e-8], ref: (x, p) => normalLogpdf(x, p.loc, p.scale) },
  { family: normal, params: { loc: -5, scale: 1e8 }, xs: [0, 1e9, -5], ref: (x, p) => normalLogpdf(x, p.loc, p.scale) },
  { family: halfNormal, params: { scale: 2 }, xs: [0, 0.5, 10], ref: (x, p) => normalLogpdf(x, 0, p.scale) + LN2 },
  { family: halfNormal, params: { scale: 1e-6 }, xs: [0, 1e-6, 5e-6], ref: (x, p) => normalLogpdf(x, 0, p.scale) + LN2 },
  { family: cauchy, params: { loc: 1, scale: 0.5 }, xs: [1, -3, 1e6], ref: (x, p) => cauchyLogpdf(x, p.loc, p.scale) },
  { family: cauchy, params: { loc: 0, scale: 1e7 }, xs: [0, 1e7, -1e10], ref: (x, p) => cauchyLogpdf(x, p.loc, p.scale) },
  { family: halfCauchy, params: { scale: 3 }, xs: [0, 3, 1e5], ref: (x, p) => cauchyLogpdf(x, 0, p.scale) + LN2 },
  { family: studentT, params: { nu: 3, loc: 1, scale: 2 }, xs: [1, -4, 100], ref: tLoc },
  { family: studentT, params: { nu: 0.5, loc: 0, scale: 1 }, xs: [0, 10, -1e4], ref: tLoc },
  { family: studentT, params: { nu: 1e6, loc: 0, scale: 1 }, xs: [0, 2, -5], ref: tLoc },
  { family: halfStudentT, params: { nu: 4, scale: 1.5 }, xs: [0, 1, 30], ref: (x, p) => tLoc(x, p) + LN2 },
  { family: exponential, params: { rate: 2 }, xs: [0, 0.1, 50], ref: (x, p) => exponentialLogpdf(x, p.rate) },
  { family: exponential, params: { rate: 1e-6 }, xs: [0, 1e6], ref: (x, p) => exponentialLogpdf(x, p.rate) },
  { family: exponential, params: { rate: 1e6 }, xs: [0, 1e-6], ref: (x, p) => exponentialLogpdf(x, p.rate) },
  { family: gamma, params: { shape: 2, rate: 0.5 }, xs: [1e-10, 1, 40], ref: (x, p) => gammaLogpdf(x, p.shape, p.rate) },
  { family: gamma, params: { shape: 0.1, rate: 3 }, xs: [1e-12, 0.01, 5], ref: (x, p) => gammaLogpdf(x, p.shape, p.rate) },
  { family: gamma, params: { shape: 1e3, rate: 1e3 }, xs: [0.9, 1, 1.1], ref: (x, p) => gammaLogpdf(x, p.shape, p.rate) },
  // 1/X ~ Gamma(α, rate β), so p(x) = Gamma(1/x) / x².
  { family: inverseGamma, params: { shape: 3, scale: 2 }, xs: [0.01, 1, 100], ref: (x, p) => gammaLogpdf(1 / x, p.shape, p.scale) - 2 * Math.log(x) },
  { family: inverseGamma, params: { shape: 0.5, scale: 1e-3 }, xs: [1e-4, 1, 1e6], ref: (x, p) => gammaLogpdf(1 / x, p.shape, p.scale) - 2 * Math.log(x) },
  { family: beta, params: { a: 2, b: 3 }, xs: [1e-10, 0.3, 1 - 1e-10], ref: (x, p) => betaLogpdf(x, p.a, p.b) },
  { family: beta, params: { a: 0.3, b: 0.7 }, xs: [1e-12, 0.5, 0.999999], ref: (x, p) => betaLogpdf(x, p.a, p.b) },
  { family: beta, params: { a: 500, b: 500 }, xs: [0.45, 0.5], ref: (x, p) => betaLogpdf(x, p.a, p.b) },
  { family: uniform, params: { lower: -1, upper: 3 }, xs: [-1, 0, 3], ref: (x, p) => uniformLogpdf(x, p.lower, p.upper) },
  { family: uniform, params: { lower: 1e-9, upper: 2e-9 }, xs: [1e-9, 1.5e-9, 2e-9], ref: (x, p) => uniformLogpdf(x, p.lower, p.upper) },
  { family: uniform, params: { lower: 0, upper: 1 }, xs: [-1e-3, 1.5, -1e6], ref: () => -Infinity },
  { family: logNormal, params: { mu: 0.5, sigma: 0.8 }, xs: [1e-8, 1, 1e4], ref: (x, p) => lognormalLogpdf(x, p.mu, p.sigma) },
  { family: logNormal, params: { mu: -3, sigma: 1e-5 }, xs: [Math.exp(-3), Math.exp(-3 + 2e-5)], ref: (x, p) => lognormalLogpdf(x, p.mu, p.sigma) },
  { family: laplace, params: { loc: 1, scale: 2 }, xs: [1, -5, 1e3], ref: (x, p) => -Math.log(2 * p.scale) - Math.abs(x - p.loc) / p.scale },
  { family: laplace, params: { loc: 0, scale: 1e-7 }, xs: [0, 3e-7], ref: (x, p) => -Math.log(2 * p.scale) - Math.abs(x - p.loc) / p.scale },
  {
    family: logistic,
    params: { loc: 1, scale: 2 },
    xs: [1, -10, 40],
    ref: (x, p) => {
      const z = (x - p.loc) / p.scale;
      return Math.log(Math.exp(-z) / (p.scale * (1 + Math.exp(-z)) ** 2));
    },
  },
  // Far tails: log density ≈ −|z| − log scale (the naive form overflows there).
  { family: logistic, params: { loc: 0, scale: 1 }, xs: [800, -800], ref: (x) => -Math.abs(x) },
  { family: weibull, params: { shape: 1.5, scale: 2 }, xs: [1e-9, 1, 10], ref: (x, p) => weibullLogpdf(x, p.shape, p.scale) },
  { family: weibull, params: { shape: 0.5, scale: 1e-3 }, xs: [1e-6, 1e-3, 1], ref: (x, p) => weibullLogpdf(x, p.shape, p.scale) },
  { family: weibull, params: { shape: 20, scale: 1e3 }, xs: [900, 1000, 1050], ref: (x, p) => weibullLogpdf(x, p.shape, p.scale) },
];

describe("continuous log densities", () => {
  it.each(cases.map((c) => [`${c.family.name} ${JSON.stringify(c.params)}`, c] as const))("%s", (_name, c) => {
    const got = logProb(c.family, c.xs, c.params);
    expect(got.shape).toEqual([c.xs.length]);
    c.xs.forEach((x, i) => {
      const want = c.ref(x, c.params);
      if (!near(got.v[i], want, 1e-9)) expect.fail(`${c.family.name} at x = ${x}: ${got.v[i]} vs reference ${want}`);
    });
  });

  it("broadcasts vector parameters against a vector of values", () => {
    const got = logProb(normal, [0, 1, 2], { loc: [0, 0, 1], scale: 2 });
    expect(Array.from(got.v)).toEqual([0, 1, 2].map((x, i) => expect.closeTo(normalLogpdf(x, [0, 0, 1][i], 2), 12)));
    const grid = logProb(gamma, [[1], [2]], { shape: [1, 2, 3], rate: 1 });
    expect(grid.shape).toEqual([2, 3]);
    expect(grid.v[5]).toBeCloseTo(gammaLogpdf(2, 3, 1), 12);
  });

  it("uniform bounds may be tensors that vary per element", () => {
    const got = logProb(uniform, [0.5, 0.5, 0.5], { lower: [0, 0.6, 0.5], upper: [1, 1, 0.75] });
    expect(got.v[0]).toBeCloseTo(0, 14);
    expect(got.v[1]).toBe(-Infinity);
    expect(got.v[2]).toBeCloseTo(Math.log(4), 14);
  });

  it("flat and half-flat are 0 with the value's shape", () => {
    for (const f of [flat, halfFlat]) {
      const got = logProb(f, [1, 2, 3], {});
      expect(got.shape).toEqual([3]);
      expect(Array.from(got.v)).toEqual([0, 0, 0]);
      expect(f.sample).toBeUndefined();
    }
  });
});
