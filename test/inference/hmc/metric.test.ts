/**
 * Euclidean metrics (hmc/metric.ts, hmc/lowRankMetric.ts) against brute-force linear algebra
 * written here: kinetic energy ½ pᵀ M⁻¹ p and velocity M⁻¹ p by explicit
 * matrix products, momentum draws with covariance M (M obtained by
 * inverting M⁻¹ with Gauss–Jordan elimination in the test), and the
 * offset contract: a method called at `at` touches only [at, at + d).
 */
import { describe, expect, it } from "vitest";
import { lowRankMetric } from "../../../src/inference/hmc/lowRankMetric.ts";
import { denseMetric, diagMetric, type Metric, metricOf, unitInverse } from "../../../src/inference/hmc/metric.ts";
import { Rng } from "../../../src/random/rng.ts";

const D = 4;

/** A random symmetric positive-definite D×D matrix B Bᵀ + 0.05 I, row-major, with eigenvalues spread over ~3 orders. */
function spdMatrix(seed: number): Float64Array {
  const rng = new Rng(seed, 11);
  const b = Array.from({ length: D * D }, (_, k) => rng.normal() * (1 + 2 * (k % D)));
  const m = new Float64Array(D * D);
  for (let i = 0; i < D; i++)
    for (let j = 0; j < D; j++) {
      let s = i === j ? 0.05 : 0;
      for (let k = 0; k < D; k++) s += b[i * D + k] * b[j * D + k];
      m[i * D + j] = s;
    }
  return m;
}

/** The full matrix of a diagonal. */
function diagMatrix(diag: ArrayLike<number>): Float64Array {
  const d = diag.length;
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = diag[i];
  return m;
}

/** y = A x for a row-major d×d matrix, by brute force. */
function matVec(a: ArrayLike<number>, x: ArrayLike<number>, d: number): number[] {
  return Array.from({ length: d }, (_, i) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += a[i * d + j] * x[j];
    return s;
  });
}

/** The inverse of a row-major d×d matrix by Gauss–Jordan elimination with partial pivoting. */
function invert(a: ArrayLike<number>, d: number): number[] {
  const w = Array.from({ length: d }, (_, i) => [
    ...Array.from({ length: d }, (_, j) => a[i * d + j]),
    ...Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)),
  ]);
  for (let c = 0; c < d; c++) {
    let piv = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(w[r][c]) > Math.abs(w[piv][c])) piv = r;
    [w[c], w[piv]] = [w[piv], w[c]];
    const s = w[c][c];
    for (let k = 0; k < 2 * d; k++) w[c][k] /= s;
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = w[r][c];
      for (let k = 0; k < 2 * d; k++) w[r][k] -= f * w[c][k];
    }
  }
  return w.flatMap((row) => row.slice(d));
}

const INV_DIAG = Float64Array.of(0.5, 2, 4, 0.01);
const INV_DENSE = spdMatrix(1);

/** k orthonormal rows of D (Gram–Schmidt on random vectors). */
function orthonormalRows(k: number, seed: number): Float64Array {
  const rng = new Rng(seed, 12);
  const u = new Float64Array(k * D);
  for (let j = 0; j < k; j++) {
    const v = Array.from({ length: D }, () => rng.normal());
    for (let r = 0; r < j; r++) {
      const dot = v.reduce((s, x, i) => s + x * u[r * D + i], 0);
      for (let i = 0; i < D; i++) v[i] -= dot * u[r * D + i];
    }
    const norm = Math.hypot(...v);
    for (let i = 0; i < D; i++) u[j * D + i] = v[i] / norm;
  }
  return u;
}

/** A low-rank correction of two directions: one 30× wider than the diagonal says, one 50× narrower. */
const LOW_RANK = { vectors: orthonormalRows(2, 4), values: Float64Array.of(30, 0.02) };

/** S (I + Σⱼ (λⱼ − 1) uⱼuⱼᵀ) S with S = diag(√invDiag), by brute force. */
function lowRankMatrix(invDiag: Float64Array, vectors: Float64Array, values: Float64Array): Float64Array {
  const m = diagMatrix(new Float64Array(D).fill(1));
  values.forEach((l, j) => {
    for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) m[a * D + b] += (l - 1) * vectors[j * D + a] * vectors[j * D + b];
  });
  return m.map((v, k) => Math.sqrt(invDiag[Math.floor(k / D)]) * v * Math.sqrt(invDiag[k % D]));
}

/** The three metrics, with their inverse as a full matrix. */
const cases: { name: string; make: () => Metric; full: Float64Array }[] = [
  { name: "diag", make: () => diagMetric(INV_DIAG), full: diagMatrix(INV_DIAG) },
  { name: "dense", make: () => denseMetric(INV_DENSE, D), full: INV_DENSE },
  {
    name: "lowRank",
    make: () => lowRankMetric(INV_DIAG, LOW_RANK.vectors, LOW_RANK.values),
    full: lowRankMatrix(INV_DIAG, LOW_RANK.vectors, LOW_RANK.values),
  },
];

function randomVector(rng: Rng, d = D): Float64Array {
  return Float64Array.from({ length: d }, () => 3 * rng.normal());
}

function expectRelClose(actual: number, expected: number, rel: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

describe("metrics", () => {
  for (const { name, make, full } of cases) {
    it(`${name}: kinetic = ½ pᵀ M⁻¹ p and velocity = M⁻¹ p, by brute-force matrix products`, () => {
      // Proves both methods against an explicit d×d product with the inverse metric, for 50 random momenta.
      const metric = make();
      expect(metric.dim).toBe(D);
      expect(metric.kind).toBe(name);
      const rng = new Rng(5, 0);
      for (let t = 0; t < 50; t++) {
        const p = randomVector(rng);
        const mp = matVec(full, p, D);
        expectRelClose(metric.kinetic(p), 0.5 * mp.reduce((s, v, i) => s + v * p[i], 0), 1e-13);
        const out = new Float64Array(D);
        metric.velocity(p, out);
        for (let i = 0; i < D; i++) expectRelClose(out[i], mp[i], 1e-13);
      }
    });

    it(`${name}: sampleMomentum has mean 0 and covariance M = (M⁻¹)⁻¹`, () => {
      // Proves p ~ N(0, M) with M the inverse of the inverse metric (inverted here by Gauss–Jordan): the empirical
      // mean and covariance of N = 20,000 draws. Monte-Carlo tolerance: the standard error of an empirical
      // covariance entry is √((M_ii M_jj + M_ij²)/N), of a mean √(M_ii/N); we allow 4.5 standard errors for each of
      // the 14 statistics (two-sided, Bonferroni-adjusted family-wise level ≈ 1e-4; the seed is fixed anyway).
      // A draw with covariance M⁻¹ instead of M (the classic mistake) is off by many standard errors here.
      const N = 20_000;
      const metric = make();
      const m = invert(full, D);
      const rng = new Rng(99, 1);
      const p = new Float64Array(D);
      const sum = new Array<number>(D).fill(0);
      const sq = new Array<number>(D * D).fill(0);
      for (let t = 0; t < N; t++) {
        metric.sampleMomentum(rng, p);
        for (let i = 0; i < D; i++) {
          sum[i] += p[i];
          for (let j = 0; j < D; j++) sq[i * D + j] += p[i] * p[j];
        }
      }
      for (let i = 0; i < D; i++) {
        expect(Math.abs(sum[i] / N)).toBeLessThanOrEqual(4.5 * Math.sqrt(m[i * D + i] / N));
        for (let j = 0; j <= i; j++) {
          const cov = sq[i * D + j] / N - (sum[i] / N) * (sum[j] / N);
          const se = Math.sqrt((m[i * D + i] * m[j * D + j] + m[i * D + j] ** 2) / N);
          expect(Math.abs(cov - m[i * D + j])).toBeLessThanOrEqual(4.5 * se);
        }
      }
    });

    it(`${name}: every method at offset \`at\` reads and writes only [at, at + d)`, () => {
      // Proves the lockstep contract: with NaN everywhere outside [at, at + d) of the inputs (a read there would
      // poison the result) and a sentinel outside [at, at + d) of the outputs (a write there would change it),
      // kinetic, velocity and sampleMomentum at `at` give what they give at 0 on the d-vector alone.
      const metric = make();
      const rng = new Rng(8, 0);
      const SENTINEL = -123.456;
      for (const at of [0, 1, D, 3 * D + 2]) {
        const len = at + D + 7;
        const local = randomVector(rng);
        const p = new Float64Array(len).fill(NaN);
        p.set(local, at);
        const pBefore = Float64Array.from(p);
        expect(metric.kinetic(p, at)).toBe(metric.kinetic(local));

        const out = new Float64Array(len).fill(SENTINEL);
        metric.velocity(p, out, at);
        const want = new Float64Array(D);
        metric.velocity(local, want);
        for (let k = 0; k < len; k++) expect(out[k]).toBe(k >= at && k < at + D ? want[k - at] : SENTINEL);
        expect(Array.from(p)).toEqual(Array.from(pBefore));

        const drawn = new Float64Array(len).fill(SENTINEL);
        const seed = 1000 + at;
        metric.sampleMomentum(new Rng(seed, 2), drawn, at);
        const wantDraw = new Float64Array(D);
        metric.sampleMomentum(new Rng(seed, 2), wantDraw);
        for (let k = 0; k < len; k++) expect(drawn[k]).toBe(k >= at && k < at + D ? wantDraw[k - at] : SENTINEL);
      }
    });
  }

  it("dense with a diagonal matrix agrees with diag", () => {
    // Proves the two forms agree where they should: on a diagonal inverse metric the dense form's kinetic energy
    // and velocity equal the diagonal form's (to rounding).
    const dm = diagMetric(INV_DIAG);
    const de = denseMetric(diagMatrix(INV_DIAG), D);
    const rng = new Rng(3, 0);
    for (let t = 0; t < 20; t++) {
      const p = randomVector(rng);
      expectRelClose(de.kinetic(p), dm.kinetic(p), 1e-14);
      const a = new Float64Array(D);
      const b = new Float64Array(D);
      dm.velocity(p, a);
      de.velocity(p, b);
      for (let i = 0; i < D; i++) expectRelClose(b[i], a[i], 1e-14);
    }
  });

  it("unitInverse: d ones, or the d×d identity by rows; its metric has kinetic ½‖p‖²", () => {
    // Proves the unit inverse metric by hand for d = 3, and that both metrics built on it give ½‖p‖² and M⁻¹p = p.
    expect(Array.from(unitInverse(3, "diag"))).toEqual([1, 1, 1]);
    expect(Array.from(unitInverse(3, "dense"))).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const p = Float64Array.of(1, -2, 0.5);
    for (const kind of ["diag", "dense"] as const) {
      const m = metricOf(kind, unitInverse(3, kind), 3);
      expect(m.kind).toBe(kind);
      expect(m.kinetic(p)).toBeCloseTo(0.5 * (1 + 4 + 0.25), 15);
      const v = new Float64Array(3);
      m.velocity(p, v);
      expect(Array.from(v)).toEqual([1, -2, 0.5]);
    }
  });

  it("inverse() returns the inverse metric: the diagonal, or the matrix as rows", () => {
    // Proves what adaptation() reports: the diag form's numbers, and the dense (or low-rank) matrix split into rows.
    expect(diagMetric(Float64Array.of(1, 2)).inverse()).toEqual([1, 2]);
    expect(denseMetric(Float64Array.of(2, 0.5, 0.5, 1), 2).inverse()).toEqual([
      [2, 0.5],
      [0.5, 1],
    ]);
    const rows = lowRankMetric(INV_DIAG, LOW_RANK.vectors, LOW_RANK.values).inverse() as number[][];
    const full = lowRankMatrix(INV_DIAG, LOW_RANK.vectors, LOW_RANK.values);
    rows.forEach((row, a) => row.forEach((v, b) => expectRelClose(v, full[a * D + b], 1e-14)));
  });

  it("lowRank with no directions (k = 0), or with eigenvalues 1, is the diagonal metric", () => {
    // Proves the correction vanishes where it should: λ = 1 adds nothing, k = 0 leaves S·S = diag(invDiag).
    const rng = new Rng(6, 0);
    const dm = diagMetric(INV_DIAG);
    for (const m of [
      lowRankMetric(INV_DIAG, new Float64Array(0), new Float64Array(0)),
      lowRankMetric(INV_DIAG, LOW_RANK.vectors, Float64Array.of(1, 1)),
    ]) {
      for (let t = 0; t < 10; t++) {
        const p = randomVector(rng);
        expectRelClose(m.kinetic(p), dm.kinetic(p), 1e-14);
        const a = new Float64Array(D);
        const b = new Float64Array(D);
        dm.velocity(p, a);
        m.velocity(p, b);
        for (let i = 0; i < D; i++) expectRelClose(b[i], a[i], 1e-14);
      }
    }
  });

  it("denseMetric throws for a matrix that is not positive definite", () => {
    // Proves the check catches every way to fail: indefinite (eigenvalues 3, −1), singular (eigenvalue 0),
    // negative definite, a failure only at the last pivot (diag(1, 1, −1): the first pivot is fine), and NaN.
    // A positive-definite matrix passes.
    const bad: [Float64Array, number][] = [
      [Float64Array.of(1, 2, 2, 1), 2],
      [Float64Array.of(1, 1, 1, 1), 2],
      [Float64Array.of(-1, 0, 0, -1), 2],
      [Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, -1), 3],
      [Float64Array.of(4, 1, 1, 1, 3, 1, 1, 1, 0.2), 3],
      [Float64Array.of(1, NaN, NaN, 1), 2],
    ];
    for (const [m, d] of bad) expect(() => denseMetric(m, d)).toThrow(RangeError);
    expect(() => denseMetric(Float64Array.of(4, 1, 1, 1, 3, 1, 1, 1, 2), 3)).not.toThrow();
  });
});
