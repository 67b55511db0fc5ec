/**
 * Euclidean metrics: the kinetic energy ½ pᵀ M⁻¹ p, its gradient M⁻¹ p (the
 * velocity, Stan's p♯), and momentum draws p ~ N(0, M). The metric is kept
 * as the inverse M⁻¹, the quantity warm-up estimates (the posterior
 * covariance).
 * @module
 */
import { choleskyArray } from "../../numeric/dense.ts";
import type { Rng } from "../../random/rng.ts";

/** A Euclidean metric over d coordinates. */
export interface Metric {
  readonly kind: "diag" | "dense";
  readonly dim: number;
  /** ½ pᵀ M⁻¹ p. */
  kinetic(p: Float64Array): number;
  /** out ← M⁻¹ p. */
  velocity(p: Float64Array, out: Float64Array): void;
  /** out ← a draw of N(0, M). */
  sampleMomentum(rng: Rng, out: Float64Array): void;
  /** The inverse metric: its diagonal, or the dense matrix by rows. */
  inverse(): number[] | number[][];
}

/** A diagonal metric with inverse diagonal `invDiag`. */
export function diagMetric(invDiag: Float64Array): Metric {
  const d = invDiag.length;
  const sd = invDiag.map((v) => 1 / Math.sqrt(v));
  return {
    kind: "diag",
    dim: d,
    kinetic(p) {
      let k = 0;
      for (let i = 0; i < d; i++) k += p[i] * p[i] * invDiag[i];
      return 0.5 * k;
    },
    velocity(p, out) {
      for (let i = 0; i < d; i++) out[i] = invDiag[i] * p[i];
    },
    sampleMomentum(rng, out) {
      for (let i = 0; i < d; i++) out[i] = rng.normal() * sd[i];
    },
    inverse: () => Array.from(invDiag),
  };
}

/**
 * A dense metric with inverse `inv` (row-major d×d). With M⁻¹ = L Lᵀ,
 * p = L⁻ᵀ z has covariance L⁻ᵀ L⁻¹ = M.
 */
export function denseMetric(inv: Float64Array, d: number): Metric {
  const l = choleskyArray(inv, d);
  // The factorization gives NaN throughout when the matrix is not positive definite.
  if (Number.isNaN(l[0])) throw new RangeError("the inverse metric is not positive definite");
  const v = new Float64Array(d);
  const velocity = (p: Float64Array, out: Float64Array): void => {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += inv[i * d + j] * p[j];
      out[i] = s;
    }
  };
  return {
    kind: "dense",
    dim: d,
    kinetic(p) {
      velocity(p, v);
      let k = 0;
      for (let i = 0; i < d; i++) k += p[i] * v[i];
      return 0.5 * k;
    },
    velocity,
    sampleMomentum(rng, out) {
      for (let i = 0; i < d; i++) out[i] = rng.normal();
      // Back substitution: Lᵀ p = z.
      for (let i = d - 1; i >= 0; i--) {
        let s = out[i];
        for (let k = i + 1; k < d; k++) s -= l[k * d + i] * out[k];
        out[i] = s / l[i * d + i];
      }
    },
    inverse: () => Array.from({ length: d }, (_, i) => Array.from(inv.subarray(i * d, (i + 1) * d))),
  };
}
