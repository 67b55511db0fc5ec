/**
 * The Fisher-divergence metric estimates (adapt/fisher.ts). On a Gaussian
 * target the gradient is g = −Σ⁻¹x exactly, so the estimates have exact
 * answers that need no Monte-Carlo tolerance: the diagonal √(Var x / Var g)
 * is the scale of an independent Gaussian from any two distinct draws, and
 * the geometric-mean estimate recovers Σ from any n > d + 1 draws (Seyboldt,
 * Carlson & Carpenter, Theorem 2.4), whatever the draws' own covariance —
 * up to the γ/n ridge, a relative 1e-6 here.
 */
import { describe, expect, it } from "vitest";
import { fisherCorrection, fisherInvDiag, gradientInvDiag } from "../../../src/inference/adapt/fisher.ts";
import { welfordInit, type WelfordState, welfordUpdate } from "../../../src/inference/adapt/welford.ts";
import { lowRankMetric } from "../../../src/inference/hmc/lowRankMetric.ts";
import { Rng } from "../../../src/random/rng.ts";
import { correlatedGaussian } from "../../helpers/gaussian.ts";

/** Moments of n draws x = C z ~ N(0, cov) (C Cᵀ = cov) and their gradients −cov⁻¹x. */
function moments(cov: number[][], n: number, dense: boolean, seed: number): { draws: WelfordState; grads: WelfordState } {
  const d = cov.length;
  const target = correlatedGaussian(new Array<number>(d).fill(0), cov.flat());
  const rng = new Rng(seed, 7);
  const draws = welfordInit(d, dense);
  const grads = welfordInit(d, dense);
  const x = new Float64Array(d);
  const g = new Float64Array(d);
  for (let t = 0; t < n; t++) {
    const z = Array.from({ length: d }, () => rng.normal());
    for (let i = 0; i < d; i++) x[i] = z.reduce((s, zj, j) => s + target.chol[i * d + j] * zj, 0);
    target.logpGrad(x, g);
    welfordUpdate(draws, x);
    welfordUpdate(grads, g);
  }
  return { draws, grads };
}

/** Σ with scales `sds` and correlation `rho` between every pair. */
const equicorrelated = (sds: readonly number[], rho: number): number[][] =>
  sds.map((si, i) => sds.map((sj, j) => (i === j ? 1 : rho) * si * sj));

/** The full inverse metric of a diagonal and its correction. */
function full(invDiag: readonly number[], c: { vectors: number[]; values: number[] }): number[][] {
  return lowRankMetric(Float64Array.from(invDiag), Float64Array.from(c.vectors), Float64Array.from(c.values)).inverse() as number[][];
}

describe("Fisher metric estimates", () => {
  it("gradientInvDiag: σ² = 1/|g|, clipped to [1e-20, 1e20], 1 where g is not finite", () => {
    expect(gradientInvDiag([2, -0.5, 0, 1e30, NaN])).toEqual([0.5, 2, 1e20, 1e-20, 1]);
  });

  it("fisherInvDiag: an independent Gaussian's variances exactly, from any few draws", () => {
    const sds = [1e-3, 0.5, 1, 20, 1e4];
    const { draws, grads } = moments(equicorrelated(sds, 0), 3, false, 1);
    fisherInvDiag(draws, grads, [1, 1, 1, 1, 1]).forEach((v, i) => expect(v / sds[i] ** 2).toBeCloseTo(1, 12));
  });

  it("fisherInvDiag keeps the previous value where a coordinate has no spread yet, and clips", () => {
    const draws = welfordInit(3, false);
    const grads = welfordInit(3, false);
    for (const [x, g] of [
      [
        [1, 5, 0],
        [1, 0, -1e-30],
      ],
      [
        [1, 6, 1e30],
        [1, 1, 1e-30],
      ],
    ])
      (welfordUpdate(draws, x), welfordUpdate(grads, g));
    // x₀ never moved (0/0), x₁'s gradient did: √(0.5/0.5) = 1; x₂: √(5e59 / 2e-60) = 5e59 clipped to 1e20.
    expect(fisherInvDiag(draws, grads, [7, 7, 7])).toEqual([7, 1, 1e20]);
  });

  describe("fisherCorrection", () => {
    const sds = [1, 2, 0.5, 3, 10];
    const cov = equicorrelated(sds, 0.95);
    const d = sds.length;

    for (const n of [d + 2, 50, 2000]) {
      it(`keeping every eigenpair (cutoff 1) recovers Σ of a correlated Gaussian from ${n} draws`, () => {
        const { draws, grads } = moments(cov, n, true, n);
        const invDiag = fisherInvDiag(draws, grads, new Array(d).fill(1));
        const c = fisherCorrection(draws, grads, invDiag, 1)!;
        expect(c.values).toHaveLength(d);
        // The γ/n ridge (1e-5/n against Σ̃'s smallest eigenvalue, 0.2) bounds the error: 1e-5 relative at n = 7.
        full(invDiag, c).forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - cov[i][j])).toBeLessThan(1e-4 * sds[i] * sds[j])));
      });
    }

    it("cutoff 2 on ρ = 0.95 keeps all five eigenpairs (so Σ itself); on an independent Gaussian none", () => {
      // With the population diagonal σᵢ² = sᵢ²/√(R⁻¹)ᵢᵢ (R the correlation matrix; (R⁻¹)ᵢᵢ = 16.04 here) the scaled
      // Σ̃ = √16.04 · R has eigenvalues 4.005 (1 + 4ρ) = 19.2 and 4.005 (1 − ρ) = 0.200 (four times), all outside
      // [½, 2]. The diagonal is estimated from the 200 draws, so Σ̃'s eigenvalues agree only to its sampling error
      // (a few %; 15 % allowed), while the metric D̂ Σ̃ D̂ is Σ exactly. An independent Gaussian's Σ̃ is I: no correction.
      const correlated = moments(cov, 200, true, 3);
      const invDiag = fisherInvDiag(correlated.draws, correlated.grads, new Array(d).fill(1));
      const c = fisherCorrection(correlated.draws, correlated.grads, invDiag, 2)!;
      const scale = Math.sqrt(16.04);
      const want = [...new Array(4).fill(scale * 0.05), scale * 4.8];
      c.values.forEach((v, k) => expect(Math.abs(v / want[k] - 1)).toBeLessThan(0.15));
      full(invDiag, c).forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - cov[i][j])).toBeLessThan(1e-5 * sds[i] * sds[j])));
      for (let k = 0; k < d; k++) expect(Math.hypot(...c.vectors.slice(k * d, (k + 1) * d))).toBeCloseTo(1, 12);
      const independent = moments(equicorrelated(sds, 0), 200, true, 4);
      const diagOnly = fisherInvDiag(independent.draws, independent.grads, new Array(d).fill(1));
      expect(fisherCorrection(independent.draws, independent.grads, diagOnly, 2)).toEqual({ vectors: [], values: [] });
    });

    it("a pair correlated 0.5 stays below the cutoff (eigenvalues √3 and 1/√3); 0.7 does not (√(17/3))", () => {
      for (const [rho, kept] of [
        [0.5, 0],
        [0.7, 2],
      ] as const) {
        const m = moments(equicorrelated([1, 1], rho), 100, true, 5);
        const c = fisherCorrection(m.draws, m.grads, fisherInvDiag(m.draws, m.grads, [1, 1]), 2)!;
        expect(c.values).toHaveLength(kept);
      }
    });
  });
});
