/**
 * Pathfinder's building blocks, exactly: the thin QR, the curvature history
 * and the normal approximation, whose covariance must equal the BFGS
 * inverse-Hessian recursion from diag(α) over the same pairs (Byrd, Nocedal
 * & Schnabel 1994, Theorem 2.2), in the dense and the low-rank branch.
 */
import { describe, expect, it } from "vitest";
import { choleskyArray, matmulArrays } from "../../../src/numeric/dense.ts";
import { transposeArray } from "../../../src/numeric/structural.ts";
import { Rng } from "../../../src/random/rng.ts";
import { normalApproximation } from "../../../src/inference/pathfinder/approximation.ts";
import { curvatureOk, MAX_CURVATURE, newHistory, updateHistory, type CurvatureHistory } from "../../../src/inference/pathfinder/history.ts";
import { thinQr } from "../../../src/inference/pathfinder/qr.ts";

// Double-precision round-off over O(d·m) sums of O(1) terms of well-conditioned
// matrices is ~1e-14; 1e-9 leaves room and still fails on any wrong term.
const TOL = 1e-9;

function randomMatrix(rng: Rng, rows: number, cols: number): Float64Array {
  return Float64Array.from({ length: rows * cols }, () => rng.normal());
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ from H = diag(α), oldest pair first. */
function bfgsRecursion(h: CurvatureHistory): Float64Array {
  const d = h.alpha.length;
  let H: Float64Array = new Float64Array(d * d);
  for (let i = 0; i < d; i++) H[i * d + i] = h.alpha[i];
  for (let p = 0; p < h.s.length; p++) {
    const s = h.s[p];
    const y = h.y[p];
    const rho = 1 / s.reduce((acc, v, i) => acc + v * y[i], 0);
    const V = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) V[i * d + j] = (i === j ? 1 : 0) - rho * s[i] * y[j];
    H = matmulArrays(matmulArrays(V, H, d, d, d), transposeArray(V, d, d), d, d, d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) H[i * d + j] += rho * s[i] * s[j];
  }
  return H;
}

/** m pairs with y = A s for a random SPD A (positive curvature), α random in (0.5, 2). */
function randomHistory(seed: number, d: number, m: number): CurvatureHistory {
  const rng = new Rng(seed, 0);
  const b = randomMatrix(rng, d, d);
  const a = matmulArrays(b, transposeArray(b, d, d), d, d, d);
  for (let i = 0; i < d; i++) a[i * d + i] += d;
  const s = Array.from({ length: m }, () => randomMatrix(rng, d, 1));
  const y = s.map((v) => matmulArrays(a, v, d, d, 1));
  return { s, y, alpha: Float64Array.from({ length: d }, () => 0.5 + 1.5 * rng.uniform()) };
}

describe("thinQr", () => {
  it("gives orthonormal Q and upper-triangular R with QR = A, also for dependent columns", () => {
    const rng = new Rng(1, 0);
    const a = randomMatrix(rng, 7, 3);
    for (let i = 0; i < 7; i++) a[i * 3 + 2] = 2 * a[i * 3 + 0]; // column 3 = 2 × column 1
    const { q, r } = thinQr(a, 7, 3);
    expect(maxAbsDiff(matmulArrays(q, r, 7, 3, 3), a)).toBeLessThan(TOL);
    const qtq = matmulArrays(transposeArray(q, 7, 3), q, 3, 7, 3);
    expect(maxAbsDiff(qtq, [1, 0, 0, 0, 1, 0, 0, 0, 1])).toBeLessThan(TOL);
    for (let i = 0; i < 3; i++) for (let j = 0; j < i; j++) expect(r[i * 3 + j]).toBe(0);
  });
});

describe("curvature history", () => {
  it("checks curvature as Stan's check_curve does", () => {
    const s = Float64Array.of(1, 0);
    expect(curvatureOk(s, Float64Array.of(1, 0))).toBe(true);
    expect(curvatureOk(s, Float64Array.of(-1, 0))).toBe(false); // yᵀs < 0
    expect(curvatureOk(s, Float64Array.of(0, 1))).toBe(false); // yᵀs = 0
    expect(curvatureOk(s, Float64Array.of(1e-7, 1e3))).toBe(false); // yᵀy/yᵀs = 1e13 > 1e12
    expect(curvatureOk(s, Float64Array.of(1e-5, 1e3))).toBe(true); // 1e11 ≤ MAX_CURVATURE
    expect(curvatureOk(s, Float64Array.of(NaN, 0))).toBe(false);
    expect(MAX_CURVATURE).toBe(1e12);
  });

  it("keeps α = the exact inverse Hessian of a diagonal quadratic (the update's fixed point)", () => {
    const sd2 = [0.25, 1, 4, 9];
    const h = newHistory(4);
    h.alpha.set(sd2);
    const rng = new Rng(2, 0);
    for (let t = 0; t < 6; t++) {
      const s = randomMatrix(rng, 4, 1);
      updateHistory(
        h,
        s,
        s.map((v, i) => v / sd2[i]),
        5,
      );
    }
    expect(maxAbsDiff(h.alpha, sd2)).toBeLessThan(TOL);
  });

  it("keeps the last `size` passing pairs and leaves everything alone on a failing pair", () => {
    const h = newHistory(2);
    const pairs = [1, 2, 3].map((v) => Float64Array.of(v, 0));
    for (const p of pairs) expect(updateHistory(h, p, p, 2)).toBe(true);
    expect(h.s).toEqual([pairs[1], pairs[2]]);
    const alpha = Float64Array.from(h.alpha);
    expect(updateHistory(h, Float64Array.of(1, 0), Float64Array.of(-1, 0), 2)).toBe(false);
    expect(h.s).toEqual([pairs[1], pairs[2]]);
    expect(h.alpha).toEqual(alpha);
  });
});

describe("normalApproximation", () => {
  // (d, m): m = 0 (diagonal only), dense (2m ≥ d, its boundary 2m = d) and low-rank (2m < d).
  const cases: [number, number][] = [
    [3, 0],
    [4, 3],
    [10, 5],
    [11, 5],
    [30, 4],
  ];
  for (const [d, m] of cases) {
    it(`equals N(x − Σg, Σ) with Σ the BFGS recursion (d = ${d}, m = ${m}, ${2 * m >= d ? "dense" : "low-rank"})`, () => {
      const h = randomHistory(10 + d, d, m);
      const rng = new Rng(3, d);
      const x = randomMatrix(rng, d, 1);
      const g = randomMatrix(rng, d, 1);
      const q = normalApproximation(x, g, h);
      expect(q).toBeDefined();
      if (q === undefined) return;
      const sigma = bfgsRecursion(h);
      const scale = Math.max(...sigma.map(Math.abs));
      const sg = matmulArrays(sigma, g, d, d, 1);
      expect(
        maxAbsDiff(
          q.mean,
          x.map((v, i) => v - sg[i]),
        ) / scale,
      ).toBeLessThan(TOL);
      expect(
        maxAbsDiff(
          q.variance,
          Array.from({ length: d }, (_, i) => sigma[i * d + i]),
        ) / scale,
      ).toBeLessThan(TOL);
      const l = choleskyArray(sigma, d);
      const halfLogDet = Array.from({ length: d }, (_, i) => Math.log(l[i * d + i])).reduce((a, b) => a + b);
      expect(Math.abs(q.logDetChol - halfLogDet)).toBeLessThan(TOL * d);
      // The square root: column j of T is draw(e_j) − mean, and T Tᵀ must be Σ.
      const t = new Float64Array(d * d);
      const out = new Float64Array(d);
      for (let j = 0; j < d; j++) {
        const e = new Float64Array(d);
        e[j] = 1;
        q.draw(e, out);
        for (let i = 0; i < d; i++) t[i * d + j] = out[i] - q.mean[i];
      }
      expect(maxAbsDiff(matmulArrays(t, transposeArray(t, d, d), d, d, d), sigma) / scale).toBeLessThan(TOL);
    });
  }

  it("is undefined when the estimate is not positive definite (a pair with yᵀs < 0), dense or low-rank", () => {
    for (const d of [4, 12]) {
      const h = randomHistory(5, d, 2);
      h.y[1] = h.y[1].map((v) => -v); // yᵀΣy = yᵀs < 0 after this pair
      expect(normalApproximation(new Float64Array(d), new Float64Array(d), h)).toBeUndefined();
    }
  });

  it("is undefined for a non-positive α", () => {
    const h = newHistory(3);
    h.alpha[1] = 0;
    expect(normalApproximation(new Float64Array(3), new Float64Array(3), h)).toBeUndefined();
  });
});
