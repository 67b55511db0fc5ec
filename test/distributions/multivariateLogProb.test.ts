/**
 * Log densities of the event families (Dirichlet, multivariate normals, LKJ,
 * Gaussian random walk) and of mixtures, against closed forms computed
 * independently here.
 */
import betaln from "@stdlib/math-base-special-betaln";
import gammaln from "@stdlib/math-base-special-gammaln";
import betaLogpdf from "@stdlib/stats-base-dists-beta-logpdf";
import normalLogpdf from "@stdlib/stats-base-dists-normal-logpdf";
import poissonLogpmf from "@stdlib/stats-base-dists-poisson-logpmf";
import { describe, expect, it } from "vitest";
import { dirichlet } from "../../src/distributions/dirichlet.ts";
import { gaussianRandomWalkFamily } from "../../src/distributions/gaussianRandomWalk.ts";
import { lkjCholeskyFamily } from "../../src/distributions/lkjCholesky.ts";
import { mixtureFamily } from "../../src/distributions/mixture.ts";
import { mvNormal } from "../../src/distributions/mvNormal.ts";
import { mvNormalCholesky } from "../../src/distributions/mvNormalCholesky.ts";
import { normal } from "../../src/distributions/normal.ts";
import { poisson } from "../../src/distributions/poisson.ts";
import { dist } from "../../src/distributions/index.ts";
import { logProb, m, near } from "./helpers.ts";

describe("dirichlet", () => {
  const ref = (x: number[], a: number[]) =>
    gammaln(a.reduce((s, v) => s + v, 0)) - a.reduce((s, v) => s + gammaln(v), 0) + x.reduce((s, v, i) => s + (a[i] - 1) * Math.log(v), 0);

  it.each([
    [[0.2, 0.3, 0.5], [1, 1, 1]],
    [[0.2, 0.3, 0.5], [0.1, 2, 30]],
    [[1e-12, 0.5, 0.5 - 1e-12], [0.5, 0.5, 0.5]],
  ])("at %j with α = %j", (x, a) => {
    const got = logProb(dirichlet, x, { alpha: a });
    expect(got.shape).toEqual([]);
    expect(near(got.v[0], ref(x, a), 1e-10)).toBe(true);
  });

  it("with two categories is the beta density", () => {
    const got = logProb(dirichlet, [[0.3, 0.7], [0.9, 0.1]], { alpha: [2.5, 0.7] });
    expect(got.shape).toEqual([2]);
    expect(got.v[0]).toBeCloseTo(betaLogpdf(0.3, 2.5, 0.7), 11);
    expect(got.v[1]).toBeCloseTo(betaLogpdf(0.9, 2.5, 0.7), 11);
  });
});

describe("multivariate normal", () => {
  // Explicit 2×2 inverse and determinant.
  const ref2 = (x: number[], mu: number[], s: number[][]) => {
    const det = s[0][0] * s[1][1] - s[0][1] * s[1][0];
    const d0 = x[0] - mu[0];
    const d1 = x[1] - mu[1];
    const quad = (s[1][1] * d0 * d0 - 2 * s[0][1] * d0 * d1 + s[0][0] * d1 * d1) / det;
    return -0.5 * quad - 0.5 * Math.log(det) - Math.log(2 * Math.PI);
  };
  const cov = [
    [2, 0.6],
    [0.6, 1],
  ];
  const l = [
    [Math.sqrt(2), 0],
    [0.6 / Math.sqrt(2), Math.sqrt(1 - 0.18)],
  ];

  it("matches the 2×2 closed form, one point", () => {
    const got = logProb(mvNormal, [0.5, -1], { mu: [1, -2], cov });
    expect(got.shape).toEqual([]);
    expect(got.v[0]).toBeCloseTo(ref2([0.5, -1], [1, -2], cov), 12);
  });

  it("evaluates rows of points, with one mean or one per row", () => {
    const xs = [
      [0, 0],
      [3, -1],
      [-2, 4],
    ];
    const mus = [
      [1, -2],
      [0, 0],
      [-1, 1],
    ];
    const shared = logProb(mvNormal, xs, { mu: [1, -2], cov });
    const each = logProb(mvNormal, xs, { mu: mus, cov });
    expect(shared.shape).toEqual([3]);
    xs.forEach((x, i) => {
      expect(shared.v[i]).toBeCloseTo(ref2(x, [1, -2], cov), 12);
      expect(each.v[i]).toBeCloseTo(ref2(x, mus[i], cov), 12);
    });
  });

  it("the Cholesky form agrees with the covariance form", () => {
    const got = logProb(mvNormalCholesky, [[0, 0], [3, -1]], { mu: [1, -2], L: l });
    expect(got.v[0]).toBeCloseTo(ref2([0, 0], [1, -2], cov), 12);
    expect(got.v[1]).toBeCloseTo(ref2([3, -1], [1, -2], cov), 12);
  });

  it("with a diagonal covariance is a sum of normal densities (3-d, tiny scale)", () => {
    const s = [1e-4, 2, 1e3];
    const x = [1e-4, -1, 500];
    const got = logProb(mvNormal, x, { mu: [0, 0, 0], cov: s.map((v, i) => s.map((_, j) => (i === j ? v * v : 0))) });
    const want = x.reduce((acc, xi, i) => acc + normalLogpdf(xi, 0, s[i]), 0);
    expect(near(got.v[0], want, 1e-10)).toBe(true);
  });
});

describe("LKJ Cholesky", () => {
  // The vine form of the normalizing constant (Lewandowski, Kurowicka and Joe 2009, eq. 16):
  // c = 2^Σₖ(2η−2+K−k)(K−k) · Πₖ B(η + (K−k−1)/2, η + (K−k−1)/2)^(K−k), k = 1 … K−1.
  const logC = (eta: number, k: number) => {
    let c = 0;
    for (let i = 1; i < k; i++) {
      const b = eta + (k - i - 1) / 2;
      c += (2 * eta - 2 + k - i) * (k - i) * Math.LN2 + (k - i) * betaln(b, b);
    }
    return c;
  };
  // log p(L) = −log c + (η − 1) log det(LLᵀ) + log Jacobian of L ↦ LLᵀ (Σᵢ (K − i) log Lᵢᵢ).
  const ref = (l: number[][], eta: number) => {
    const k = l.length;
    let s = -logC(eta, k);
    for (let i = 1; i < k; i++) s += (2 * (eta - 1) + (k - 1 - i)) * Math.log(l[i][i]);
    return s;
  };
  /** A Cholesky factor of a correlation matrix from rows of free entries. */
  const factor = (rows: number[][]) =>
    rows.map((free, i) => {
      const row = new Array<number>(rows.length).fill(0);
      free.forEach((v, j) => (row[j] = v));
      row[i] = Math.sqrt(1 - free.reduce((a, v) => a + v * v, 0));
      return row;
    });
  const l3 = factor([[], [0.3], [-0.5, 0.4]]);
  const l4 = factor([[], [0.1], [0.2, -0.6], [0.5, 0.1, 0.3]]);

  it("K = 2 is the density of r with (r + 1)/2 ~ Beta(η, η)", () => {
    for (const eta of [0.5, 1, 3]) {
      const r = 0.6;
      const got = logProb(lkjCholeskyFamily(2), factor([[], [r]]), { eta });
      const want = betaLogpdf((r + 1) / 2, eta, eta) - Math.LN2;
      expect(got.v[0]).toBeCloseTo(want, 12);
    }
  });

  it.each([
    [3, 1],
    [3, 0.5],
    [3, 2],
    [4, 1],
    [4, 10],
  ])("K = %i, η = %d matches the vine-form constant", (k, eta) => {
    const l = k === 3 ? l3 : l4;
    const got = logProb(lkjCholeskyFamily(k), l, { eta });
    expect(near(got.v[0], ref(l, eta), 1e-11)).toBe(true);
  });

  it("K = 3, η = 1 matches Stan's integer closed form of the constant", () => {
    // do_lkj_constant, η = 1, K odd: −Σₖ₌₁..(K−1)/2 lgamma(2k) − [¼(K²−1) log π − ¼(K−1)² log 2 − (K−1) lgamma((K+1)/2)].
    const k = 3;
    const c = -gammaln(2) - (0.25 * (k * k - 1) * Math.log(Math.PI) - 0.25 * (k - 1) ** 2 * Math.LN2 - (k - 1) * gammaln((k + 1) / 2));
    const kernel = Math.log(l3[1][1]) * 1 + Math.log(l3[2][2]) * 0;
    const got = logProb(lkjCholeskyFamily(3), l3, { eta: 1 });
    expect(got.v[0]).toBeCloseTo(c + kernel, 12);
  });

  it("evaluates a batch of factors, with η per element", () => {
    const twice = m.reshape(m.constant([...l3, ...l3]), [2, 3, 3]);
    const got = logProb(lkjCholeskyFamily(3), twice, { eta: [0.5, 2] });
    expect(got.shape).toEqual([2]);
    expect(got.v[0]).toBeCloseTo(ref(l3, 0.5), 11);
    expect(got.v[1]).toBeCloseTo(ref(l3, 2), 11);
  });
});

describe("Gaussian random walk", () => {
  const ref = (x: number[], scale: number) => x.reduce((acc, v, t) => acc + normalLogpdf(v, t === 0 ? 0 : x[t - 1], scale), 0);

  it("is the density of the increments", () => {
    const x = [0.3, -0.2, 1.5, 1.4];
    const got = logProb(gaussianRandomWalkFamily(4), x, { scale: 0.7 });
    expect(got.shape).toEqual([]);
    expect(got.v[0]).toBeCloseTo(ref(x, 0.7), 12);
  });

  it("has one step", () => {
    expect(logProb(gaussianRandomWalkFamily(1), [2], { scale: 3 }).v[0]).toBeCloseTo(normalLogpdf(2, 0, 3), 13);
  });

  it("evaluates a batch of walks, with one scale per walk", () => {
    const xs = [
      [1, 2, 3],
      [0, -1e-3, 2e-3],
    ];
    const got = logProb(gaussianRandomWalkFamily(3), xs, { scale: [1, 1e-3] });
    expect(got.shape).toEqual([2]);
    expect(got.v[0]).toBeCloseTo(ref(xs[0], 1), 12);
    expect(got.v[1]).toBeCloseTo(ref(xs[1], 1e-3), 10);
  });
});

describe("mixture", () => {
  const components = [dist(normal, { loc: m.constant(-1), scale: m.constant(0.5) }), dist(normal, { loc: m.constant(2), scale: m.constant(1) })];
  const fam = mixtureFamily(components);
  const params = { weights: [0.3, 0.7], c0_loc: -1, c0_scale: 0.5, c1_loc: 2, c1_scale: 1 };
  const ref = (x: number) => Math.log(0.3 * Math.exp(normalLogpdf(x, -1, 0.5)) + 0.7 * Math.exp(normalLogpdf(x, 2, 1)));

  it("is log Σ w p of its components", () => {
    const xs = [-1, 0.4, 5];
    const got = logProb(fam, xs, params);
    expect(got.shape).toEqual([3]);
    xs.forEach((x, i) => expect(got.v[i]).toBeCloseTo(ref(x), 12));
    expect(fam.params).toEqual(["weights", "c0_loc", "c0_scale", "c1_loc", "c1_scale"]);
  });

  it("is steady far in a tail (log-sum-exp)", () => {
    // At x = −60 both densities underflow; the second component dominates by e⁵⁰⁰⁰.
    const got = logProb(fam, [-60], params);
    expect(got.v[0]).toBeCloseTo(Math.log(0.7) + normalLogpdf(-60, 2, 1), 9);
  });

  it("takes one weight vector per element of a vector batch", () => {
    const got = logProb(fam, [0, 0], { ...params, weights: [[1, 0], [0.5, 0.5]] });
    expect(got.v[0]).toBeCloseTo(normalLogpdf(0, -1, 0.5), 12);
    expect(got.v[1]).toBeCloseTo(Math.log(0.5 * Math.exp(normalLogpdf(0, -1, 0.5)) + 0.5 * Math.exp(normalLogpdf(0, 2, 1))), 12);
  });

  it("mixes discrete components (zero-inflation-like Poisson mixture)", () => {
    const pois = mixtureFamily([dist(poisson, { rate: m.constant(0.1) }), dist(poisson, { rate: m.constant(4) })]);
    expect(pois.discrete).toBe(true);
    const got = logProb(pois, [0, 3], { weights: [0.4, 0.6], c0_rate: 0.1, c1_rate: 4 });
    const want = (k: number) => Math.log(0.4 * Math.exp(poissonLogpmf(k, 0.1)) + 0.6 * Math.exp(poissonLogpmf(k, 4)));
    expect(got.v[0]).toBeCloseTo(want(0), 12);
    expect(got.v[1]).toBeCloseTo(want(3), 12);
  });
});
