/**
 * Prior samplers at a fixed seed: continuous families pass a
 * Kolmogorov–Smirnov test against their CDF, discrete ones a chi-square
 * test against their pmf, multivariate ones z-tests of mean and covariance
 * with Monte Carlo standard errors. Each test states n and its critical value.
 */
import betaCdf from "@stdlib/stats-base-dists-beta-cdf";
import binomialLogpmf from "@stdlib/stats-base-dists-binomial-logpmf";
import gammaCdf from "@stdlib/stats-base-dists-gamma-cdf";
import negativeBinomialLogpmf from "@stdlib/stats-base-dists-negative-binomial-logpmf";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import poissonLogpmf from "@stdlib/stats-base-dists-poisson-logpmf";
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import { describe, expect, it } from "vitest";
import type { Family } from "../../src/dsl/distribution.ts";
import { bernoulli } from "../../src/distributions/bernoulli.ts";
import { bernoulliLogit } from "../../src/distributions/bernoulliLogit.ts";
import { beta } from "../../src/distributions/beta.ts";
import { binomial } from "../../src/distributions/binomial.ts";
import { binomialLogit } from "../../src/distributions/binomialLogit.ts";
import { categorical } from "../../src/distributions/categorical.ts";
import { categoricalLogit } from "../../src/distributions/categoricalLogit.ts";
import { cauchy } from "../../src/distributions/cauchy.ts";
import { dirichlet } from "../../src/distributions/dirichlet.ts";
import { exponential } from "../../src/distributions/exponential.ts";
import { gamma } from "../../src/distributions/gamma.ts";
import { gaussianRandomWalkFamily } from "../../src/distributions/gaussianRandomWalk.ts";
import { halfCauchy } from "../../src/distributions/halfCauchy.ts";
import { halfNormal } from "../../src/distributions/halfNormal.ts";
import { halfStudentT } from "../../src/distributions/halfStudentT.ts";
import { dist } from "../../src/distributions/index.ts";
import { inverseGamma } from "../../src/distributions/inverseGamma.ts";
import { laplace } from "../../src/distributions/laplace.ts";
import { lkjCholeskyFamily } from "../../src/distributions/lkjCholesky.ts";
import { logistic } from "../../src/distributions/logistic.ts";
import { logNormal } from "../../src/distributions/logNormal.ts";
import { mixtureFamily } from "../../src/distributions/mixture.ts";
import { mvNormal } from "../../src/distributions/mvNormal.ts";
import { mvNormalCholesky } from "../../src/distributions/mvNormalCholesky.ts";
import { negativeBinomial } from "../../src/distributions/negativeBinomial.ts";
import { normal } from "../../src/distributions/normal.ts";
import { poisson } from "../../src/distributions/poisson.ts";
import { poissonLog } from "../../src/distributions/poissonLog.ts";
import { studentT } from "../../src/distributions/studentT.ts";
import { uniform } from "../../src/distributions/uniform.ts";
import { weibull } from "../../src/distributions/weibull.ts";
import { chiSquare, chiSquareCritical, column, ksCritical, ksStatistic, m, sample, zScore } from "./helpers.ts";

type P = Record<string, number>;

// n = 20000 draws per test; KS critical value 1.95/√n ≈ 0.0138 (α ≈ 0.001).
const N = 20000;
// Two-sided z-tests of Monte Carlo means: |z| < 4 (α ≈ 6·10⁻⁵ each).
const Z = 4;

const continuous: { family: Family; params: P; cdf: (x: number, p: P) => number }[] = [
  { family: normal, params: { loc: 1, scale: 2 }, cdf: (x, p) => normalCdf(x, p.loc, p.scale) },
  { family: halfNormal, params: { scale: 2 }, cdf: (x, p) => 2 * normalCdf(x, 0, p.scale) - 1 },
  { family: cauchy, params: { loc: 1, scale: 0.5 }, cdf: (x, p) => 0.5 + Math.atan((x - p.loc) / p.scale) / Math.PI },
  { family: halfCauchy, params: { scale: 3 }, cdf: (x, p) => (2 / Math.PI) * Math.atan(x / p.scale) },
  { family: studentT, params: { nu: 3, loc: 1, scale: 2 }, cdf: (x, p) => tCdf((x - p.loc) / p.scale, p.nu) },
  { family: studentT, params: { nu: 0.8, loc: 0, scale: 1 }, cdf: (x, p) => tCdf(x, p.nu) },
  { family: halfStudentT, params: { nu: 4, scale: 1.5 }, cdf: (x, p) => 2 * tCdf(x / p.scale, p.nu) - 1 },
  { family: exponential, params: { rate: 2 }, cdf: (x, p) => 1 - Math.exp(-p.rate * x) },
  { family: gamma, params: { shape: 2, rate: 0.5 }, cdf: (x, p) => gammaCdf(x, p.shape, p.rate) },
  { family: gamma, params: { shape: 0.3, rate: 2 }, cdf: (x, p) => gammaCdf(x, p.shape, p.rate) },
  { family: inverseGamma, params: { shape: 3, scale: 2 }, cdf: (x, p) => 1 - gammaCdf(1 / x, p.shape, p.scale) },
  { family: beta, params: { a: 2, b: 3 }, cdf: (x, p) => betaCdf(x, p.a, p.b) },
  { family: beta, params: { a: 0.3, b: 0.7 }, cdf: (x, p) => betaCdf(x, p.a, p.b) },
  // Large parameters: the binomial sampler's reduction draws these.
  { family: beta, params: { a: 5001, b: 5000 }, cdf: (x, p) => betaCdf(x, p.a, p.b) },
  { family: uniform, params: { lower: -1, upper: 3 }, cdf: (x, p) => (x - p.lower) / (p.upper - p.lower) },
  { family: logNormal, params: { mu: 0.5, sigma: 0.8 }, cdf: (x, p) => normalCdf(Math.log(x), p.mu, p.sigma) },
  {
    family: laplace,
    params: { loc: 1, scale: 2 },
    cdf: (x, p) => (x < p.loc ? 0.5 * Math.exp((x - p.loc) / p.scale) : 1 - 0.5 * Math.exp(-(x - p.loc) / p.scale)),
  },
  { family: logistic, params: { loc: 1, scale: 2 }, cdf: (x, p) => 1 / (1 + Math.exp(-(x - p.loc) / p.scale)) },
  { family: weibull, params: { shape: 1.5, scale: 2 }, cdf: (x, p) => 1 - Math.exp(-((x / p.scale) ** p.shape)) },
  { family: weibull, params: { shape: 0.4, scale: 0.1 }, cdf: (x, p) => 1 - Math.exp(-((x / p.scale) ** p.shape)) },
];

describe("continuous samplers: KS test, n = 20000, critical value 1.95/√n", () => {
  it.each(continuous.map((c) => [`${c.family.name} ${JSON.stringify(c.params)}`, c] as const))("%s", (_name, c) => {
    const draws = sample(c.family, c.params, [N]);
    const d = ksStatistic(draws, (x) => c.cdf(x, c.params));
    expect(d).toBeLessThan(ksCritical(N));
  });

  it("a mixture of normals, against the mixed CDF", () => {
    const fam = mixtureFamily([dist(normal, { loc: m.constant(-1), scale: m.constant(0.5) }), dist(normal, { loc: m.constant(2), scale: m.constant(1) })]);
    const draws = sample(fam, { weights: [0.3, 0.7], c0_loc: -1, c0_scale: 0.5, c1_loc: 2, c1_scale: 1 }, [N]);
    const d = ksStatistic(draws, (x) => 0.3 * normalCdf(x, -1, 0.5) + 0.7 * normalCdf(x, 2, 1));
    expect(d).toBeLessThan(ksCritical(N));
  });

  it("LKJ with K = 2: (L₂₁ + 1)/2 ~ Beta(η, η)", () => {
    for (const eta of [0.7, 4]) {
      const draws = sample(lkjCholeskyFamily(2), { eta }, [N]);
      const r = column(draws, 4, 2);
      expect(ksStatistic(r, (x) => betaCdf((x + 1) / 2, eta, eta))).toBeLessThan(ksCritical(N));
    }
  });

  it("Dirichlet with two categories: the first coordinate is Beta(α₁, α₂), also for α < 1", () => {
    for (const alpha of [[2, 5], [0.05, 0.3]]) {
      const draws = sample(dirichlet, { alpha }, [N]);
      expect(ksStatistic(column(draws, 2, 0), (x) => betaCdf(x, alpha[0], alpha[1]))).toBeLessThan(ksCritical(N));
    }
  });
});

const pmfOf = (logpmf: (k: number) => number) => (k: number) => Math.exp(logpmf(k));
const invLogit = (a: number) => 1 / (1 + Math.exp(-a));

const discrete: { family: Family; params: Record<string, number | number[]>; pmf: (k: number) => number; hi: number }[] = [
  { family: bernoulli, params: { p: 0.3 }, pmf: (k) => (k === 1 ? 0.3 : 0.7), hi: 1 },
  { family: bernoulliLogit, params: { logit: -0.5 }, pmf: (k) => (k === 1 ? invLogit(-0.5) : 1 - invLogit(-0.5)), hi: 1 },
  { family: binomial, params: { n: 10, p: 0.3 }, pmf: pmfOf((k) => binomialLogpmf(k, 10, 0.3)), hi: 10 },
  // Means ≥ 10 go through the order-statistic reduction (stdlib's own large-mean path is biased).
  { family: binomial, params: { n: 200, p: 0.9 }, pmf: pmfOf((k) => binomialLogpmf(k, 200, 0.9)), hi: 200 },
  { family: binomial, params: { n: 100000, p: 0.4 }, pmf: pmfOf((k) => binomialLogpmf(k, 100000, 0.4)), hi: 100000 },
  { family: binomialLogit, params: { n: 20, logit: 1 }, pmf: pmfOf((k) => binomialLogpmf(k, 20, invLogit(1))), hi: 20 },
  { family: poisson, params: { rate: 3.5 }, pmf: pmfOf((k) => poissonLogpmf(k, 3.5)), hi: 40 },
  { family: poisson, params: { rate: 150 }, pmf: pmfOf((k) => poissonLogpmf(k, 150)), hi: 300 },
  { family: poisson, params: { rate: 5000 }, pmf: pmfOf((k) => poissonLogpmf(k, 5000)), hi: 6000 },
  { family: poissonLog, params: { logRate: 1.2 }, pmf: pmfOf((k) => poissonLogpmf(k, Math.exp(1.2))), hi: 40 },
  { family: negativeBinomial, params: { mu: 4, phi: 2 }, pmf: pmfOf((k) => negativeBinomialLogpmf(k, 2, 2 / 6)), hi: 100 },
  { family: negativeBinomial, params: { mu: 50, phi: 0.5 }, pmf: pmfOf((k) => negativeBinomialLogpmf(k, 0.5, 0.5 / 50.5)), hi: 2000 },
  { family: categorical, params: { p: [0.1, 0.6, 0, 0.3] }, pmf: (k) => [0.1, 0.6, 0, 0.3][k] ?? 0, hi: 3 },
  {
    family: categoricalLogit,
    params: { logits: [2, -1, 0.5] },
    pmf: (k) => Math.exp([2, -1, 0.5][k] ?? -Infinity) / (Math.exp(2) + Math.exp(-1) + Math.exp(0.5)),
    hi: 2,
  },
];

describe("discrete samplers: chi-square test, n = 20000, critical value χ²(df, 0.999)", () => {
  it.each(discrete.map((c) => [`${c.family.name} ${JSON.stringify(c.params)}`, c] as const))("%s", (_name, c) => {
    const draws = sample(c.family, c.params, [N]);
    for (const x of draws) expect(Number.isInteger(x)).toBe(true);
    const { stat, df } = chiSquare(draws, c.pmf, 0, c.hi);
    expect(stat).toBeLessThan(chiSquareCritical(Math.max(df, 1)));
  });

  it("a categorical never draws a zero-probability category", () => {
    const draws = sample(categorical, { p: [0.1, 0.6, 0, 0.3] }, [N]);
    expect(draws.includes(2)).toBe(false);
  });

  it("degenerate parameters draw their certain value", () => {
    expect(Array.from(sample(poisson, { rate: 0 }, [3]))).toEqual([0, 0, 0]);
    expect(Array.from(sample(binomial, { n: [0, 4, 4], p: [0.5, 0, 1] }, [3]))).toEqual([0, 0, 4]);
  });
});

/** z-tests of each coordinate's mean and each pair's covariance against the truth. */
function expectMoments(draws: Float64Array, k: number, mean: number[], cov: number[][]): void {
  const cols = mean.map((_, j) => column(draws, k, j));
  mean.forEach((mu, j) => expect(Math.abs(zScore(cols[j], mu)), `mean ${j}`).toBeLessThan(Z));
  for (let i = 0; i < mean.length; i++) {
    for (let j = 0; j <= i; j++) {
      const products = cols[i].map((v, r) => (v - mean[i]) * (cols[j][r] - mean[j]));
      expect(Math.abs(zScore(products, cov[i][j])), `cov ${i},${j}`).toBeLessThan(Z);
    }
  }
}

describe("multivariate samplers: z-tests of mean and covariance, n = 20000, |z| < 4", () => {
  it.each([[[0.5, 2, 3]], [[0.05, 0.1, 0.2]]])("dirichlet α = %j", (alpha) => {
    const a0 = alpha.reduce((s, v) => s + v, 0);
    const mean = alpha.map((a) => a / a0);
    const cov = alpha.map((ai, i) => alpha.map((aj, j) => ((i === j ? ai * a0 : 0) - ai * aj) / (a0 * a0 * (a0 + 1))));
    const draws = sample(dirichlet, { alpha }, [N]);
    for (let r = 0; r < N; r++) expect(Math.abs(draws[3 * r] + draws[3 * r + 1] + draws[3 * r + 2] - 1)).toBeLessThan(1e-12);
    expectMoments(draws, 3, mean, cov);
  });

  const mu = [1, -2];
  const cov = [
    [2, 0.6],
    [0.6, 1],
  ];
  it("multi_normal", () => expectMoments(sample(mvNormal, { mu, cov }, [N]), 2, mu, cov));
  it("multi_normal_cholesky", () => {
    const l = [
      [Math.sqrt(2), 0],
      [0.6 / Math.sqrt(2), Math.sqrt(0.82)],
    ];
    expectMoments(sample(mvNormalCholesky, { mu, L: l }, [N]), 2, mu, cov);
  });

  it("multi_normal with a batch of means", () => {
    const draws = sample(mvNormal, { mu: [[0, 0], [10, -10]], cov }, [N / 2, 2]);
    const first = draws.filter((_, i) => Math.floor(i / 2) % 2 === 0);
    const second = draws.filter((_, i) => Math.floor(i / 2) % 2 === 1);
    expectMoments(first, 2, [0, 0], cov);
    expectMoments(second, 2, [10, -10], cov);
  });

  it("lkj_corr_cholesky K = 3: unit rows, lower triangle, and r ~ scaled Beta(η + ½, η + ½)", () => {
    const eta = 2;
    const draws = sample(lkjCholeskyFamily(3), { eta }, [N]);
    for (let r = 0; r < N; r++) {
      const l = draws.subarray(9 * r, 9 * r + 9);
      expect(l[1]).toBe(0);
      expect(l[2]).toBe(0);
      expect(l[5]).toBe(0);
      for (let i = 0; i < 3; i++) expect(Math.abs(l[3 * i] ** 2 + l[3 * i + 1] ** 2 + l[3 * i + 2] ** 2 - 1)).toBeLessThan(1e-12);
    }
    // Correlations Ω = L Lᵀ: Ω₂₁ = L₂₁, Ω₃₁ = L₃₁, Ω₃₂ = L₃₁L₂₁ + L₃₂L₂₂; each is 2B − 1 with
    // B ~ Beta(a, a), a = η + (K − 2)/2, so mean 0 and variance 1/(2a + 1).
    const a = eta + 0.5;
    const r21 = column(draws, 9, 3);
    const r31 = column(draws, 9, 6);
    const r32 = r21.map((v, i) => draws[9 * i + 6] * v + draws[9 * i + 7] * draws[9 * i + 4]);
    for (const r of [r21, r31, r32]) {
      expect(Math.abs(zScore(r, 0))).toBeLessThan(Z);
      expect(Math.abs(zScore(r.map((v) => v * v), 1 / (2 * a + 1)))).toBeLessThan(Z);
    }
  });

  it("gaussian_random_walk: mean 0 and Cov(xₛ, xₜ) = σ² (min(s, t) + 1)", () => {
    const sigma = 0.5;
    const steps = 4;
    const cov = Array.from({ length: steps }, (_, s) => Array.from({ length: steps }, (_, t) => sigma * sigma * (Math.min(s, t) + 1)));
    expectMoments(sample(gaussianRandomWalkFamily(steps), { scale: sigma }, [N]), steps, [0, 0, 0, 0], cov);
  });
});

describe("sampler plumbing", () => {
  it("is reproducible from the seed and differs across seeds", () => {
    const a = sample(gamma, { shape: 2, rate: 1 }, [50], 7);
    const b = sample(gamma, { shape: 2, rate: 1 }, [50], 7);
    const c = sample(gamma, { shape: 2, rate: 1 }, [50], 8);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it("broadcasts parameters to a plate", () => {
    const draws = sample(normal, { loc: [0, 100], scale: 1e-9 }, [3, 2]);
    expect(draws.length).toBe(6);
    draws.forEach((x, i) => expect(x).toBeCloseTo(i % 2 === 0 ? 0 : 100, 6));
    const walks = sample(gaussianRandomWalkFamily(3), { scale: [1, 2] }, [2]);
    expect(walks.length).toBe(6);
  });
});
