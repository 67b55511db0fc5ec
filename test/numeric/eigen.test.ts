/**
 * The symmetric eigensolver (numeric/eigen.ts) on a table of matrices:
 * every result is checked by reconstruction (Vᵀ diag(λ) V = A), by
 * orthonormality of the eigenvectors and by ascending order, and the
 * closed-form cases against their known eigenvalues.
 */
import { describe, expect, it } from "vitest";
import { symmetricEigen } from "../../src/numeric/eigen.ts";
import { Rng } from "../../src/random/rng.ts";

/** A random symmetric n×n matrix B + Bᵀ, its entries N(0, scale²). */
function randomSymmetric(n: number, seed: number, scale = 1): Float64Array {
  const rng = new Rng(seed, 3);
  const b = Array.from({ length: n * n }, () => scale * rng.normal());
  return Float64Array.from({ length: n * n }, (_, k) => b[k] + b[(k % n) * n + Math.floor(k / n)]);
}

/** A Gaussian's covariance of n coordinates with correlation ρ and scales 10^(−3…3): eigenvalues over many orders. */
function illConditioned(n: number, rho: number): Float64Array {
  const s = Array.from({ length: n }, (_, i) => 10 ** (-3 + (6 * i) / Math.max(1, n - 1)));
  return Float64Array.from({ length: n * n }, (_, k) => {
    const [i, j] = [Math.floor(k / n), k % n];
    return (i === j ? 1 : rho) * s[i] * s[j];
  });
}

const CASES: { name: string; n: number; a: Float64Array; values?: number[] }[] = [
  { name: "1×1", n: 1, a: Float64Array.of(-2.5), values: [-2.5] },
  { name: "2×2 [[2, 1], [1, 2]]", n: 2, a: Float64Array.of(2, 1, 1, 2), values: [1, 3] },
  { name: "diagonal, unsorted", n: 3, a: Float64Array.of(5, 0, 0, 0, -1, 0, 0, 0, 2), values: [-1, 2, 5] },
  {
    name: "identity (all eigenvalues equal)",
    n: 4,
    a: Float64Array.from({ length: 16 }, (_, k) => (k % 5 === 0 ? 1 : 0)),
    values: [1, 1, 1, 1],
  },
  { name: "random 6×6", n: 6, a: randomSymmetric(6, 1) },
  { name: "random 40×40", n: 40, a: randomSymmetric(40, 2, 1e3) },
  { name: "covariance, ρ = 0.95, scales 1e-3…1e3", n: 7, a: illConditioned(7, 0.95) },
];

describe("symmetricEigen", () => {
  for (const { name, n, a, values } of CASES) {
    it(`${name}: Vᵀ diag(λ) V = A, V orthonormal, λ ascending`, () => {
      const e = symmetricEigen(a, n);
      const scale = Math.max(...Array.from(a, Math.abs));
      let reconstruction = 0;
      let orthonormality = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let r = 0;
          let dot = 0;
          for (let k = 0; k < n; k++) {
            r += e.vectors[k * n + i] * e.values[k] * e.vectors[k * n + j];
            dot += e.vectors[i * n + k] * e.vectors[j * n + k];
          }
          reconstruction = Math.max(reconstruction, Math.abs(r - a[i * n + j]));
          orthonormality = Math.max(orthonormality, Math.abs(dot - (i === j ? 1 : 0)));
        }
      }
      // Working precision: a few hundred ulps of the largest entry (the method is backward stable).
      expect(reconstruction).toBeLessThanOrEqual(1e-13 * n * scale);
      expect(orthonormality).toBeLessThanOrEqual(1e-13 * n);
      for (let k = 1; k < n; k++) expect(e.values[k]).toBeGreaterThanOrEqual(e.values[k - 1]);
      if (values !== undefined) values.forEach((v, k) => expect(e.values[k]).toBeCloseTo(v, 14));
    });
  }

  it("reads only the lower triangle and leaves its input unchanged", () => {
    const a = Float64Array.of(2, 99, 1, 2);
    const e = symmetricEigen(a, 2);
    expect(Array.from(e.values)).toEqual([1, 3].map((v) => expect.closeTo(v, 14)));
    expect(Array.from(a)).toEqual([2, 99, 1, 2]);
  });

  it("every eigenvalue to rounding relative to the norm: the equicorrelated covariance's, known in closed form", () => {
    // Unit scales, ρ = 0.95, n = 7: eigenvalues 1 − ρ (six times) and 1 + 6ρ. QL is backward stable: errors ~ε‖A‖.
    const n = 7;
    const rho = 0.95;
    const a = Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : rho));
    const e = symmetricEigen(a, n);
    [...new Array(6).fill(1 - rho), 1 + 6 * rho].forEach((v, k) => expect(Math.abs(e.values[k] - v)).toBeLessThan(1e-14 * (1 + 6 * rho)));
  });

  it("an empty matrix has no eigenvalues", () => {
    expect(symmetricEigen(new Float64Array(0), 0)).toEqual({ values: new Float64Array(0), vectors: new Float64Array(0) });
  });
});
