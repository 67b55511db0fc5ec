/**
 * The streaming variance / covariance estimator (adapt/welford.ts) against
 * the two-pass sample (co)variance with Stan's regularization
 *   (n/(n+5)) Σ̂ + 1e-3 (5/(n+5)) I,   Σ̂ = Σ (x − x̄)(x − x̄)ᵀ / (n − 1)
 * (stan/mcmc/var_adaptation.hpp, covar_adaptation.hpp), computed here
 * independently, and against small cases worked by hand.
 */
import { describe, expect, it } from "vitest";
import { sumsOfProducts, welfordFinal, welfordInit, welfordUpdate } from "../../../src/inference/adapt/welford.ts";
import { Rng } from "../../../src/random/rng.ts";

/** Two-pass sample covariance of the rows of `x`, regularized as Stan does; row-major d×d. */
function twoPassRegularized(x: readonly Float64Array[]): number[] {
  const n = x.length;
  const d = x[0].length;
  const mean = new Array<number>(d).fill(0);
  for (const row of x) for (let i = 0; i < d; i++) mean[i] += row[i] / n;
  const cov = new Array<number>(d * d).fill(0);
  for (const row of x)
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j] += ((row[i] - mean[i]) * (row[j] - mean[j])) / (n - 1);
  return cov.map((c, k) => (n / (n + 5)) * c + (k % (d + 1) === 0 ? 1e-3 * (5 / (n + 5)) : 0));
}

/** The diagonal of a row-major d×d matrix. */
const diagonal = (m: readonly number[], d: number): number[] => Array.from({ length: d }, (_, i) => m[i * d + i]);

/**
 * n correlated draws x = b + A z in d dimensions (z standard normal): the
 * mean is far from 0 and the scales differ by 100×, so a naive one-pass
 * formula would lose digits while Welford's should not.
 */
function draws(n: number, d: number, seed: number): Float64Array[] {
  const rng = new Rng(seed, 7);
  const a = Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? 10 ** ((k % 3) - 1) : 0.3 * rng.normal()));
  const b = Array.from({ length: d }, (_, i) => 5 * (i + 1));
  return Array.from({ length: n }, () => {
    const z = Array.from({ length: d }, () => rng.normal());
    return Float64Array.from({ length: d }, (_, i) => b[i] + z.reduce((s, zj, j) => s + a[i * d + j] * zj, 0));
  });
}

/**
 * |actual − expected| ≤ 1e-12 · scale per entry, where the scale of entry
 * (i, j) is √(Σ_ii Σ_jj) (for a diagonal entry, the entry itself): an
 * off-diagonal covariance near 0 is judged on the scale of its variables.
 */
function expectCovClose(actual: ArrayLike<number>, expected: readonly number[], d: number, dense: boolean): void {
  const diag = dense ? diagonal(expected, d) : expected;
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) {
    const i = dense ? Math.floor(k / d) : k;
    const j = dense ? k % d : k;
    const scale = Math.sqrt(diag[i] * diag[j]);
    expect(Math.abs(actual[k] - expected[k])).toBeLessThanOrEqual(1e-12 * scale);
  }
}

describe("Welford estimator", () => {
  it("a 1-d case by hand", () => {
    // Proves the estimate and the regularization on numbers worked by hand: draws 1, 2, 3, 4 have
    // mean 2.5, sample variance (2.25 + 0.25 + 0.25 + 2.25)/3 = 5/3; n = 4 gives
    // (4/9)(5/3) + 1e-3 (5/9) = 20/27 + 1/1800.
    const s = welfordInit(1, false);
    for (const x of [1, 2, 3, 4]) welfordUpdate(s, [x]);
    expect(s.n).toBe(4);
    expect(welfordFinal(s)[0]).toBeCloseTo(20 / 27 + 1 / 1800, 14);
  });

  it("a 2-d dense case by hand", () => {
    // Proves the dense estimate on numbers worked by hand: draws (1,1), (2,3), (3,2) have mean (2,2),
    // deviations (−1,−1), (0,1), (1,0): Sxx = Syy = 2, Sxy = 1, so Σ̂ = [[1, ½], [½, 1]];
    // n = 3: (3/8) Σ̂ + 1e-3 (5/8) I = [[3/8 + 1/1600, 3/16], [3/16, 3/8 + 1/1600]].
    const s = welfordInit(2, true);
    for (const x of [
      [1, 1],
      [2, 3],
      [3, 2],
    ])
      welfordUpdate(s, x);
    const out = welfordFinal(s);
    const expected = [3 / 8 + 1 / 1600, 3 / 16, 3 / 16, 3 / 8 + 1 / 1600];
    for (let k = 0; k < 4; k++) expect(out[k]).toBeCloseTo(expected[k], 14);
    // The diagonal form of the same draws is that matrix's diagonal.
    const sd = welfordInit(2, false);
    for (const x of [
      [1, 1],
      [2, 3],
      [3, 2],
    ])
      welfordUpdate(sd, x);
    const outd = welfordFinal(sd);
    expect(outd.length).toBe(2);
    expect(outd[0]).toBeCloseTo(expected[0], 14);
    expect(outd[1]).toBeCloseTo(expected[3], 14);
  });

  for (const n of [10, 250, 5000]) {
    it(`diag, d = 4, n = ${n}: equals the two-pass regularized variance to 1e-12`, () => {
      // Proves welfordFinal (diagonal) = diag((n/(n+5)) Σ̂ + 1e-3 (5/(n+5)) I) with Σ̂ computed in two passes.
      const x = draws(n, 4, n);
      const s = welfordInit(4, false);
      for (const row of x) welfordUpdate(s, row);
      expect(s.n).toBe(n);
      expectCovClose(welfordFinal(s), diagonal(twoPassRegularized(x), 4), 4, false);
    });

    it(`dense, d = 4, n = ${n}: equals the two-pass regularized covariance to 1e-12`, () => {
      // Proves welfordFinal (dense) = (n/(n+5)) Σ̂ + 1e-3 (5/(n+5)) I entry by entry, off-diagonal included.
      const x = draws(n, 4, n + 1);
      const s = welfordInit(4, true);
      for (const row of x) welfordUpdate(s, row);
      expectCovClose(welfordFinal(s), twoPassRegularized(x), 4, true);
    });
  }

  it("dense: the upper triangle of m2 is kept, sumsOfProducts mirrors it into the full symmetric matrix", () => {
    // Proves the state's layout (the lower triangle is never written) and that the mirrored sums are (n − 1) Σ̂.
    const x = draws(50, 3, 11);
    const s = welfordInit(3, true);
    for (const row of x) welfordUpdate(s, row);
    for (let i = 0; i < 3; i++) for (let j = 0; j < i; j++) expect(s.m2[i * 3 + j]).toBe(0);
    const full = sumsOfProducts(s);
    const n = x.length;
    const mean = [0, 1, 2].map((i) => x.reduce((a, r) => a + r[i], 0) / n);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        expect(full[i * 3 + j]).toBe(full[j * 3 + i]);
        const twoPass = x.reduce((a, r) => a + (r[i] - mean[i]) * (r[j] - mean[j]), 0);
        expect(Math.abs(full[i * 3 + j] - twoPass)).toBeLessThanOrEqual(1e-12 * n);
      }
    }
  });

  it("the running mean is the sample mean", () => {
    // Proves the state's mean (checkpointed as JSON) is the plain average of the draws.
    const x = draws(300, 3, 9);
    const s = welfordInit(3, true);
    for (const row of x) welfordUpdate(s, row);
    for (let i = 0; i < 3; i++) {
      const m = x.reduce((a, r) => a + r[i], 0) / x.length;
      expect(Math.abs(s.mean[i] - m)).toBeLessThanOrEqual(1e-12 * Math.abs(m));
    }
  });

  for (const dense of [false, true]) {
    it(`${dense ? "dense" : "diag"}: \`at\` reads row c of a batch of n rows laid end to end`, () => {
      // Proves welfordUpdate(s, batch, c·d) adds exactly row c: feeding row 2 of 5-row batches (the other
      // rows hold different draws) gives the two-pass estimate of row 2's draws only; and feeding every row
      // of every batch gives the estimate of all n·T rows.
      const d = 3;
      const rows = 5;
      const batches = Array.from({ length: 200 }, (_, t) => {
        const b = new Float64Array(rows * d);
        draws(rows, d, 1000 + t).forEach((r, c) =>
          b.set(
            r.map((v) => v * (c + 1)),
            c * d,
          ),
        );
        return b;
      });
      const rowOf = (b: Float64Array, c: number): Float64Array => b.slice(c * d, (c + 1) * d);
      const one = welfordInit(d, dense);
      for (const b of batches) welfordUpdate(one, b, 2 * d);
      const want = twoPassRegularized(batches.map((b) => rowOf(b, 2)));
      expectCovClose(welfordFinal(one), dense ? want : diagonal(want, d), d, dense);

      const all = welfordInit(d, dense);
      for (const b of batches) for (let c = 0; c < rows; c++) welfordUpdate(all, b, c * d);
      expect(all.n).toBe(rows * batches.length);
      const wantAll = twoPassRegularized(batches.flatMap((b) => Array.from({ length: rows }, (_, c) => rowOf(b, c))));
      expectCovClose(welfordFinal(all), dense ? wantAll : diagonal(wantAll, d), d, dense);
    });
  }

  it("the state is plain JSON and resumes exactly", () => {
    // Proves a checkpoint (JSON round trip) mid-stream continues to the same estimate as an uninterrupted run.
    const x = draws(100, 3, 5);
    const a = welfordInit(3, true);
    let b = welfordInit(3, true);
    x.forEach((row, t) => {
      welfordUpdate(a, row);
      welfordUpdate(b, row);
      if (t === 40) b = JSON.parse(JSON.stringify(b));
    });
    expect(Array.from(welfordFinal(b))).toEqual(Array.from(welfordFinal(a)));
  });
});
