/**
 * Log mass functions of the discrete families against stdlib's logpmf (or
 * closed forms), including zero counts, counts at n, p ∈ {0, 1}, λ = 0, and
 * values outside the support.
 */
import binomialLogpmf from "@stdlib/stats-base-dists-binomial-logpmf";
import negativeBinomialLogpmf from "@stdlib/stats-base-dists-negative-binomial-logpmf";
import poissonLogpmf from "@stdlib/stats-base-dists-poisson-logpmf";
import { describe, expect, it } from "vitest";
import type { Family } from "../../src/dsl/distribution.ts";
import { bernoulli } from "../../src/distributions/bernoulli.ts";
import { bernoulliLogit } from "../../src/distributions/bernoulliLogit.ts";
import { binomial } from "../../src/distributions/binomial.ts";
import { binomialLogit } from "../../src/distributions/binomialLogit.ts";
import { categorical } from "../../src/distributions/categorical.ts";
import { categoricalLogit } from "../../src/distributions/categoricalLogit.ts";
import { negativeBinomial } from "../../src/distributions/negativeBinomial.ts";
import { poisson } from "../../src/distributions/poisson.ts";
import { poissonLog } from "../../src/distributions/poissonLog.ts";
import { logProb, near } from "./helpers.ts";

type P = Record<string, number>;
interface Case {
  family: Family;
  params: P;
  xs: number[];
  ref: (x: number, p: P) => number;
}

const invLogit = (a: number) => 1 / (1 + Math.exp(-a));
// log inv_logit(±a) without forming the probability, for extreme logits.
const logSigmoid = (a: number) => (a > 0 ? -Math.log1p(Math.exp(-a)) : a - Math.log1p(Math.exp(a)));

const cases: Case[] = [
  { family: bernoulli, params: { p: 0.3 }, xs: [0, 1], ref: (x, p) => Math.log(x === 1 ? p.p : 1 - p.p) },
  { family: bernoulli, params: { p: 0 }, xs: [0, 1], ref: (x) => (x === 0 ? 0 : -Infinity) },
  { family: bernoulli, params: { p: 1 }, xs: [0, 1], ref: (x) => (x === 1 ? 0 : -Infinity) },
  { family: bernoulliLogit, params: { logit: 0.7 }, xs: [0, 1], ref: (x, p) => logSigmoid(x === 1 ? p.logit : -p.logit) },
  { family: bernoulliLogit, params: { logit: -40 }, xs: [0, 1], ref: (x, p) => logSigmoid(x === 1 ? p.logit : -p.logit) },
  { family: bernoulliLogit, params: { logit: 40 }, xs: [0, 1], ref: (x, p) => logSigmoid(x === 1 ? p.logit : -p.logit) },
  { family: binomial, params: { n: 10, p: 0.3 }, xs: [0, 3, 10], ref: (x, p) => binomialLogpmf(x, p.n, p.p) },
  { family: binomial, params: { n: 1000, p: 1e-4 }, xs: [0, 1, 7], ref: (x, p) => binomialLogpmf(x, p.n, p.p) },
  { family: binomial, params: { n: 5, p: 0 }, xs: [0, 1], ref: (x) => (x === 0 ? 0 : -Infinity) },
  { family: binomial, params: { n: 5, p: 1 }, xs: [5, 4], ref: (x) => (x === 5 ? 0 : -Infinity) },
  { family: binomial, params: { n: 0, p: 0.4 }, xs: [0], ref: () => 0 },
  { family: binomial, params: { n: 4, p: 0.5 }, xs: [5], ref: () => -Infinity },
  { family: binomialLogit, params: { n: 12, logit: -0.4 }, xs: [0, 5, 12], ref: (x, p) => binomialLogpmf(x, p.n, invLogit(p.logit)) },
  {
    family: binomialLogit,
    params: { n: 3, logit: 50 },
    xs: [3, 2],
    ref: (x, p) => binomialLogpmf(x, p.n, 0.5) + p.n * Math.log(2) + x * logSigmoid(p.logit) + (p.n - x) * logSigmoid(-p.logit),
  },
  { family: poisson, params: { rate: 3.5 }, xs: [0, 2, 30], ref: (x, p) => poissonLogpmf(x, p.rate) },
  { family: poisson, params: { rate: 0 }, xs: [0, 1], ref: (x) => (x === 0 ? 0 : -Infinity) },
  { family: poisson, params: { rate: 1e6 }, xs: [1e6, 999000], ref: (x, p) => poissonLogpmf(x, p.rate) },
  { family: poisson, params: { rate: 1e-8 }, xs: [0, 1], ref: (x, p) => poissonLogpmf(x, p.rate) },
  { family: poissonLog, params: { logRate: 1.2 }, xs: [0, 3, 20], ref: (x, p) => poissonLogpmf(x, Math.exp(p.logRate)) },
  { family: poissonLog, params: { logRate: -20 }, xs: [0, 1], ref: (x, p) => poissonLogpmf(x, Math.exp(p.logRate)) },
  // neg_binomial_2(μ, φ) is stdlib's (r, p) = (φ, φ / (μ + φ)).
  { family: negativeBinomial, params: { mu: 4, phi: 2 }, xs: [0, 3, 40], ref: (x, p) => negativeBinomialLogpmf(x, p.phi, p.phi / (p.mu + p.phi)) },
  { family: negativeBinomial, params: { mu: 0.5, phi: 0.01 }, xs: [0, 1, 100], ref: (x, p) => negativeBinomialLogpmf(x, p.phi, p.phi / (p.mu + p.phi)) },
  { family: negativeBinomial, params: { mu: 20, phi: 1e4 }, xs: [0, 20, 35], ref: (x, p) => negativeBinomialLogpmf(x, p.phi, p.phi / (p.mu + p.phi)) },
];

describe("discrete log mass functions", () => {
  it.each(cases.map((c) => [`${c.family.name} ${JSON.stringify(c.params)}`, c] as const))("%s", (_name, c) => {
    const got = logProb(c.family, c.xs, c.params);
    c.xs.forEach((x, i) => {
      const want = c.ref(x, c.params);
      // stdlib computes neg_binomial from (r, p), which loses digits when p ≈ 1.
      const rtol = c.family === negativeBinomial && c.params.phi > 100 ? 1e-7 : 1e-9;
      if (!near(got.v[i], want, rtol)) expect.fail(`${c.family.name} at x = ${x}: ${got.v[i]} vs reference ${want}`);
    });
  });
});

describe("categorical", () => {
  const p = [0.2, 0.5, 0.3];

  it("picks log p at each value, and is −∞ outside 0 … K−1", () => {
    const got = logProb(categorical, [0, 1, 2, 3], { p });
    expect(got.shape).toEqual([4]);
    [0, 1, 2].forEach((k) => expect(got.v[k]).toBeCloseTo(Math.log(p[k]), 14));
    expect(got.v[3]).toBe(-Infinity);
  });

  it("allows zero probabilities of values not observed", () => {
    const got = logProb(categorical, [1, 0], { p: [0, 1] });
    expect(Array.from(got.v)).toEqual([0, -Infinity]);
  });

  it("takes one probability vector per batch element", () => {
    const got = logProb(categorical, [2, 0], { p: [p, [0.6, 0.3, 0.1]] });
    expect(got.v[0]).toBeCloseTo(Math.log(0.3), 14);
    expect(got.v[1]).toBeCloseTo(Math.log(0.6), 14);
  });

  it("the logit form is log softmax at the value, −∞ outside", () => {
    const logits = [1, -2, 0.5];
    const lse = Math.log(logits.reduce((a, l) => a + Math.exp(l), 0));
    const got = logProb(categoricalLogit, [[0, 2], [1, 5]], { logits });
    expect(got.shape).toEqual([2, 2]);
    expect(got.v[0]).toBeCloseTo(logits[0] - lse, 13);
    expect(got.v[1]).toBeCloseTo(logits[2] - lse, 13);
    expect(got.v[2]).toBeCloseTo(logits[1] - lse, 13);
    expect(got.v[3]).toBe(-Infinity);
  });

  it("the logit form is steady for extreme logits", () => {
    const got = logProb(categoricalLogit, [0, 1], { logits: [1000, -1000] });
    expect(got.v[0]).toBeCloseTo(0, 12);
    expect(got.v[1]).toBeCloseTo(-2000, 9);
  });
});
