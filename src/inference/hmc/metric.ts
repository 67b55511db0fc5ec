/**
 * Euclidean metrics: the kinetic energy ½ pᵀ M⁻¹ p, its gradient M⁻¹ p (the
 * velocity, Stan's p♯), and momentum draws p ~ N(0, M). The metric is kept
 * as the inverse M⁻¹, the quantity warm-up estimates (the posterior
 * covariance). Every method reads and writes the d coordinates starting at
 * `at`, so one metric serves a single chain's vectors and each row of many
 * chains' vectors laid end to end (lockstep chains).
 * @module
 */
import { choleskyArray } from "../../numeric/dense.ts";
import type { Rng } from "../../random/rng.ts";

/** A diagonal or a dense metric: what Stan's warm-up estimates. */
export type MetricKind = "diag" | "dense";

/** The structure of a metric: diagonal, dense, or diagonal with a low-rank correction (`lowRankMetric.ts`). */
export type MetricForm = MetricKind | "lowRank";

/** A Euclidean metric over d coordinates. */
export interface Metric {
  readonly kind: MetricForm;
  readonly dim: number;
  /** ½ pᵀ M⁻¹ p of p[at, at + d). */
  kinetic(p: Float64Array, at?: number): number;
  /** out[at, at + d) ← M⁻¹ p[at, at + d). */
  velocity(p: Float64Array, out: Float64Array, at?: number): void;
  /** out[at, at + d) ← a draw of N(0, M). */
  sampleMomentum(rng: Rng, out: Float64Array, at?: number): void;
  /** The inverse metric: its diagonal, or (dense and low-rank metrics) the matrix by rows. */
  inverse(): number[] | number[][];
}

/** The unit inverse metric of d coordinates: d ones, or the d×d identity by rows. */
export function unitInverse(d: number, kind: MetricKind): Float64Array {
  if (kind === "diag") return new Float64Array(d).fill(1);
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = 1;
  return m;
}

/** The metric of `kind` with inverse `inv` (the diagonal, or the d×d matrix by rows). */
export function metricOf(kind: MetricKind, inv: Float64Array, d: number): Metric {
  return kind === "dense" ? denseMetric(inv, d) : diagMetric(inv);
}

/** A diagonal metric with inverse diagonal `invDiag`. */
export function diagMetric(invDiag: Float64Array): Metric {
  const d = invDiag.length;
  const sd = invDiag.map((v) => 1 / Math.sqrt(v));
  return {
    kind: "diag",
    dim: d,
    kinetic(p, at = 0) {
      let k = 0;
      for (let i = 0; i < d; i++) k += p[at + i] * p[at + i] * invDiag[i];
      return 0.5 * k;
    },
    velocity(p, out, at = 0) {
      for (let i = 0; i < d; i++) out[at + i] = invDiag[i] * p[at + i];
    },
    sampleMomentum(rng, out, at = 0) {
      for (let i = 0; i < d; i++) out[at + i] = rng.normal() * sd[i];
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
  // out[outAt + i] ← (M⁻¹ p[pAt …])ᵢ.
  const apply = (p: Float64Array, pAt: number, out: Float64Array, outAt: number): void => {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += inv[i * d + j] * p[pAt + j];
      out[outAt + i] = s;
    }
  };
  return {
    kind: "dense",
    dim: d,
    kinetic(p, at = 0) {
      apply(p, at, v, 0);
      let k = 0;
      for (let i = 0; i < d; i++) k += p[at + i] * v[i];
      return 0.5 * k;
    },
    velocity: (p, out, at = 0) => apply(p, at, out, at),
    sampleMomentum(rng, out, at = 0) {
      for (let i = 0; i < d; i++) out[at + i] = rng.normal();
      // Back substitution: Lᵀ p = z.
      for (let i = d - 1; i >= 0; i--) {
        let s = out[at + i];
        for (let k = i + 1; k < d; k++) s -= l[k * d + i] * out[at + k];
        out[at + i] = s / l[i * d + i];
      }
    },
    inverse: () => Array.from({ length: d }, (_, i) => Array.from(inv.subarray(i * d, (i + 1) * d))),
  };
}
