/**
 * The metric that minimizes the Fisher divergence between the posterior,
 * linearly transformed, and a standard normal (Seyboldt, Carlson &
 * Carpenter, "Preconditioning Hamiltonian Monte Carlo by minimizing Fisher
 * divergence", arXiv:2603.18845), estimated from draws x and their gradients
 * g = ∇log p(x), as nutpie does:
 *
 * - diagonal: σᵢ² = √(Var xᵢ / Var gᵢ) (nuts-rs `array_update_var_inv_std_draw_grad`);
 *   at the first point, before any variance, σᵢ² = 1/|gᵢ| (`array_update_var_inv_std_grad`);
 * - correction: in the σ-scaled space (x/σ, g·σ) the covariances C̃x, C̃g give
 *   Σ̃ = C̃x # C̃g⁻¹, the geometric mean, which solves Σ̃ C̃g Σ̃ = C̃x (exact for a
 *   Gaussian posterior once there are more than d + 1 draws); its eigenpairs
 *   with λ outside [1/c, c] form the low-rank correction
 *   (`low_rank.rs`, `estimate_mass_matrix` and `spd_mean`).
 *
 * The inputs are streaming moments (welford.ts), not stored draws.
 * @module
 */
import { choleskyArray, matmulArrays, triSolveArrays } from "../../numeric/dense.ts";
import { symmetricEigen } from "../../numeric/eigen.ts";
import { transposeArray } from "../../numeric/structural.ts";
import { sumsOfProducts, type WelfordState } from "./welford.ts";

/** σ² is clipped to [1e-20, 1e20] (nuts-rs `LOWER_LIMIT`, `UPPER_LIMIT`). */
const MIN_INV = 1e-20;
const MAX_INV = 1e20;

/**
 * Ridge of the scaled covariances, γ/n with nuts-rs's γ = 1e-5: nuts-rs forms
 * XXᵀ/γ + I from the n centred draws, which is (n/γ)(C + (γ/n) I).
 */
const GAMMA = 1e-5;

const clip = (v: number): number => Math.min(MAX_INV, Math.max(MIN_INV, v));

/** The variance of coordinate i of a (diagonal or dense) estimator, over n (the ratios below do not care which divisor). */
function variance(s: WelfordState, i: number): number {
  const d = s.mean.length;
  return s.m2[s.m2.length > d ? i * (d + 1) : i] / s.n;
}

/** σ² = 1/|g| at the initial point, clipped (1 where g is not finite). */
export function gradientInvDiag(g: ArrayLike<number>): number[] {
  return Array.from(g, (gi) => (Number.isFinite(gi) ? 1 / clip(Math.abs(gi)) : 1));
}

/**
 * σᵢ² = √(Var xᵢ / Var gᵢ), clipped; a coordinate whose ratio is not a
 * positive number (no spread yet) keeps its value in `previous`.
 */
export function fisherInvDiag(draws: WelfordState, grads: WelfordState, previous: readonly number[]): number[] {
  // A loop rather than map's callback per element: this runs after every warm-up draw.
  const out = new Array<number>(previous.length);
  for (let i = 0; i < previous.length; i++) {
    const v = Math.sqrt(variance(draws, i) / variance(grads, i));
    out[i] = Number.isFinite(v) && v > 0 ? clip(v) : previous[i];
  }
  return out;
}

/** The low-rank correction: eigenvectors (k rows of d, in the σ-scaled space) and eigenvalues. */
export interface Correction {
  vectors: number[];
  values: number[];
}

/**
 * The correction of the diagonal `invDiag` from dense moments of draws and
 * gradients: the eigenpairs of Σ̃ = C̃x # C̃g⁻¹ whose eigenvalue lies outside
 * [1/cutoff, cutoff] (cutoff 1 keeps them all: the dense Fisher metric).
 * Undefined when the estimate is not finite.
 */
export function fisherCorrection(
  draws: WelfordState,
  grads: WelfordState,
  invDiag: readonly number[],
  cutoff: number,
): Correction | undefined {
  const d = invDiag.length;
  const n = draws.n;
  const sd = invDiag.map(Math.sqrt);
  const a = sumsOfProducts(draws);
  const b = sumsOfProducts(grads);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      a[i * d + j] = a[i * d + j] / n / (sd[i] * sd[j]);
      b[i * d + j] = (b[i * d + j] / n) * sd[i] * sd[j];
    }
    a[i * d + i] += GAMMA / n;
    b[i * d + i] += GAMMA / n;
  }
  // Σ̃ solves Σ̃ B Σ̃ = A (B = C̃g). With B = L Lᵀ, S = Lᵀ Σ̃ L solves S² = Lᵀ A L, so
  // Σ̃ = L⁻ᵀ (Lᵀ A L)^(½) L⁻¹: one eigendecomposition besides Σ̃'s own, where B^(±½) took a second.
  const l = choleskyArray(b, d);
  const inner = symmetricEigen(matmulArrays(matmulArrays(transposeArray(l, d, d), a, d, d, d), l, d, d, d), d);
  const innerHalf = spectralFunction(inner.values, inner.vectors, d, Math.sqrt);
  // X = L⁻ᵀ S, then Σ̃ = X L⁻¹ = L⁻ᵀ Xᵀ (Σ̃ is symmetric).
  const x = triSolveArrays(l, innerHalf, d, d, true);
  const sigma = symmetricEigen(triSolveArrays(l, transposeArray(x, d, d), d, d, true), d);
  const vectors: number[] = [];
  const values: number[] = [];
  for (let j = 0; j < d; j++) {
    const l = sigma.values[j];
    if (!(l > 0 && Number.isFinite(l))) return undefined;
    if (cutoff > 1 && l >= 1 / cutoff && l <= cutoff) continue;
    values.push(l);
    for (let i = 0; i < d; i++) vectors.push(sigma.vectors[j * d + i]);
  }
  return vectors.every(Number.isFinite) ? { vectors, values } : undefined;
}

/** Vᵀ diag(f(λ)) V for the eigenpairs (λ, rows of V) of a symmetric d×d matrix; λ below 0 (rounding) counts as 0. */
function spectralFunction(values: Float64Array, vectors: Float64Array, d: number, f: (v: number) => number): Float64Array {
  const out = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const fk = f(Math.max(0, values[k]));
    for (let i = 0; i < d; i++) {
      const c = fk * vectors[k * d + i];
      for (let j = 0; j < d; j++) out[i * d + j] += c * vectors[k * d + j];
    }
  }
  return out;
}
