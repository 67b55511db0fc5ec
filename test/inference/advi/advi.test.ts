/**
 * ADVI against exact optima. Each run goes to `maxIterations` (tolRelObj
 * tiny) with a fixed eta, so what is left is the stationary noise of
 * stochastic gradient ascent around the optimum. Its covariance is derived
 * (`sgaSpread`: the linearized ascent with Stan's step size ρ = eta/√T ·
 * 1/(1 + √s), s settled at the gradient's noise variance, the noise from
 * Isserlis' theorem in `gradientNoise`) and each tolerance is 4.5 of those
 * standard deviations. Measured over seeds 1–20 with these settings, the
 * errors in those units have rms 0.95–1.04 and max 2.8 (the derivation holds).
 */
import { describe, expect, it } from "vitest";
import { batchOf } from "../../../src/codegen/batch.ts";
import { advi, type AdviApproximation } from "../../../src/inference/advi/advi.ts";
import { gaussian } from "../../helpers/gaussian.ts";
import { correlatedGaussian } from "../../helpers/gaussian.ts";
import { gradientNoise, sgaSpread } from "./targets.ts";

const Z = 4.5;
/** 10 draws per gradient, eta 1, 5000 iterations: the final step scale γ = eta/√T. */
const RUN = { eta: 1, gradSamples: 10, maxIterations: 5000, tolRelObj: 1e-12, outputDraws: 10 } as const;
const GAMMA = RUN.eta / Math.sqrt(RUN.maxIterations);

function meanfieldOf(a: AdviApproximation) {
  if (a.kind !== "meanfield") throw new Error(`expected meanfield, got ${a.kind}`);
  return a;
}

/**
 * Predicted sds of mu and omega for mean-field at its optimum on N(m, Λ⁻¹):
 * sd_i = 1/√Λ_ii, ∇ log p = B η with B = −Λ S; mu's curvature Λ, omega's 2
 * (−½ Λ_ii e^{2ω} + ω), omega_i's noise that of (Bη)_i η_i times sd_i.
 */
function meanfieldSpread(precision: Float64Array, d: number) {
  const sd = Array.from({ length: d }, (_, i) => 1 / Math.sqrt(precision[i * d + i]));
  const b = precision.map((v, x) => -v * sd[x % d]);
  const noise = gradientNoise(
    b,
    d,
    sd.map((_, i) => [i, i] as const),
    RUN.gradSamples,
  );
  const omegaNoise = noise.scale.map((v, x) => v * sd[Math.floor(x / d)] * sd[x % d]);
  const two = Float64Array.from({ length: d * d }, (_, x) => (x % (d + 1) === 0 ? 2 : 0));
  const pMu = sgaSpread(precision, noise.mean, d, GAMMA);
  const pOmega = sgaSpread(two, omegaNoise, d, GAMMA);
  return { sd, muSd: sd.map((_, i) => Math.sqrt(pMu[i * d + i])), omegaSd: sd.map((_, i) => Math.sqrt(pOmega[i * d + i])) };
}

describe("advi: exact optima", () => {
  it("mean-field on an independent Gaussian recovers every mean and sd", async () => {
    const mu = [1, -2, 0.5, 3, -0.5];
    const sd = [0.2, 0.5, 1, 2, 3];
    const precision = Float64Array.from({ length: 25 }, (_, x) => (x % 6 === 0 ? sd[x / 6] ** -2 : 0));
    const spread = meanfieldSpread(precision, 5);
    const r = await advi(batchOf(gaussian(mu, sd)), { ...RUN, seed: 1 });
    const a = meanfieldOf(r.approximation);
    for (let i = 0; i < 5; i++) {
      // The optimum of mean-field on an independent Gaussian is the target itself.
      expect(Math.abs(a.mu[i] - mu[i]), `mu[${i}]`).toBeLessThan(Z * spread.muSd[i]);
      expect(Math.abs(a.omega[i] - Math.log(sd[i])), `omega[${i}]`).toBeLessThan(Z * spread.omegaSd[i]);
    }
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(5000);
  });

  it("full-rank on a correlated Gaussian recovers the covariance: L Lᵀ ≈ Σ", async () => {
    const sd = [1, 2, 0.5];
    const corr = [1, 0.6, -0.3, 0.6, 1, 0.4, -0.3, 0.4, 1];
    const t = correlatedGaussian(
      [1, -1, 2],
      corr.map((c, x) => c * sd[Math.floor(x / 3)] * sd[x % 3]),
    );
    const d = 3;
    // At the optimum L = C (Σ = C Cᵀ), so ∇ log p = −Λ C η; L_ij's curvature is Λ_ik δ_jl (+ 1/L_ii² on the diagonal, the entropy's).
    const pairs: [number, number][] = [];
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) pairs.push([i, j]);
    const b = t.precision.map((_, x) => {
      let s = 0;
      for (let q = 0; q < d; q++) s -= t.precision[Math.floor(x / d) * d + q] * t.chol[q * d + (x % d)];
      return s;
    });
    const noise = gradientNoise(b, d, pairs, RUN.gradSamples);
    const m = pairs.length;
    const h = new Float64Array(m * m);
    for (const [r, [i, j]] of pairs.entries()) {
      for (const [c, [k, l]] of pairs.entries()) {
        h[r * m + c] = (j === l ? t.precision[i * d + k] : 0) + (r === c && i === j ? t.chol[i * d + i] ** -2 : 0);
      }
    }
    const pL = sgaSpread(h, noise.scale, m, GAMMA);
    const pMu = sgaSpread(t.precision, noise.mean, d, GAMMA);
    // Σ̂_ab − Σ_ab ≈ (ΔL Cᵀ + C ΔLᵀ)_ab: its variance is J P Jᵀ.
    const covSd = (a: number, c: number) => {
      const jac = pairs.map(([i, j]) => (i === a ? t.chol[c * d + j] : 0) + (i === c ? t.chol[a * d + j] : 0));
      return Math.sqrt(jac.reduce((s, x, r) => s + x * jac.reduce((u, y, q) => u + pL[r * m + q] * y, 0), 0));
    };

    const r = await advi(batchOf(t), { ...RUN, seed: 2, algorithm: "fullrank" });
    if (r.approximation.kind !== "fullrank") throw new Error("expected fullrank");
    const { mu, L } = r.approximation;
    for (let a = 0; a < d; a++) {
      expect(Math.abs(mu[a] - t.mean[a]), `mu[${a}]`).toBeLessThan(Z * Math.sqrt(pMu[a * d + a]));
      for (let c = 0; c <= a; c++) {
        let s = 0;
        for (let q = 0; q < d; q++) s += L[a * d + q] * L[c * d + q];
        expect(Math.abs(s - t.cov[a * d + c]), `Σ[${a}][${c}]`).toBeLessThan(Z * covSd(a, c));
      }
      for (let c = a + 1; c < d; c++) expect(L[a * d + c]).toBe(0);
    }
  });

  it("mean-field on a correlated Gaussian under-estimates the variances: they are 1/(Σ⁻¹)_ii", async () => {
    // Correlation 0.9 between x₀ and x₁: the mean-field optimum's variances are Σ_ii (1 − ρ²) = 0.19 Σ_ii there.
    const sd = [1, 3, 0.5];
    const corr = [1, 0.9, 0, 0.9, 1, 0.3, 0, 0.3, 1];
    const t = correlatedGaussian(
      [0, 2, -1],
      corr.map((c, x) => c * sd[Math.floor(x / 3)] * sd[x % 3]),
    );
    const spread = meanfieldSpread(t.precision, 3);
    const r = await advi(batchOf(t), { ...RUN, seed: 3 });
    const a = meanfieldOf(r.approximation);
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(a.mu[i] - t.mean[i]), `mu[${i}]`).toBeLessThan(Z * spread.muSd[i]);
      // exp(2ω) is 1/Λ_ii within the omega noise (log scale: |Δ log var| = 2 |Δω|) …
      const exact = 1 / t.precision[i * 3 + i];
      expect(Math.abs(2 * a.omega[i] - Math.log(exact)), `log var[${i}]`).toBeLessThan(2 * Z * spread.omegaSd[i]);
      // … and well below the true marginal variance Σ_ii wherever x_i correlates with another coordinate.
      expect(Math.exp(2 * a.omega[i]) * Math.exp(2 * Z * spread.omegaSd[i]), `var[${i}] < Σ_ii`).toBeLessThan(t.cov[i * 4]);
    }
    expect(Math.exp(2 * a.omega[0]) / t.cov[0]).toBeLessThan(0.25);
  });
});
