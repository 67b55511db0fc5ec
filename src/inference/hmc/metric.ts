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
  /** The inverse diagonal of a diagonal metric (the integrator's fused loop reads it); absent for the others. */
  readonly invDiag?: Float64Array;
  /** A low-rank metric's parts (lowRankMetric.ts), for kernels that apply it themselves (kernels.wat); absent for the others. */
  readonly lowRank?: LowRankParts;
}

/** M⁻¹ = S (I + Σⱼ (λⱼ − 1) uⱼuⱼᵀ) S as its parts: σ (S's diagonal), λ − 1 (k values) and the k directions u (rows of d). */
export interface LowRankParts {
  readonly sd: Float64Array;
  readonly lambdaMinus1: Float64Array;
  readonly vectors: Float64Array;
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

/**
 * A diagonal metric with inverse diagonal `invDiag`.
 *
 * Metrics are classes, not object literals of closures: warm-up makes a new
 * metric at every update, and the NUTS loop calls its methods once per
 * leapfrog step. Closures would be new functions each time, so V8 would throw
 * the sampler's optimized code away at every update ("wrong call target");
 * methods of a class are one function for every instance.
 */
export function diagMetric(invDiag: Float64Array): Metric {
  return new DiagMetric(invDiag);
}

class DiagMetric implements Metric {
  readonly kind = "diag";
  readonly dim: number;
  private readonly sd: Float64Array;

  constructor(readonly invDiag: Float64Array) {
    this.dim = invDiag.length;
    // Loops rather than TypedArray.map (a callback per element): warm-up makes a metric after every draw.
    this.sd = new Float64Array(this.dim);
    for (let i = 0; i < this.dim; i++) this.sd[i] = 1 / Math.sqrt(invDiag[i]);
  }

  kinetic(p: Float64Array, at = 0): number {
    const { invDiag, dim } = this;
    let k = 0;
    for (let i = 0; i < dim; i++) k += p[at + i] * p[at + i] * invDiag[i];
    return 0.5 * k;
  }

  velocity(p: Float64Array, out: Float64Array, at = 0): void {
    const { invDiag, dim } = this;
    for (let i = 0; i < dim; i++) out[at + i] = invDiag[i] * p[at + i];
  }

  sampleMomentum(rng: Rng, out: Float64Array, at = 0): void {
    const { sd, dim } = this;
    rng.normals(out, at, dim);
    for (let i = 0; i < dim; i++) out[at + i] *= sd[i];
  }

  inverse(): number[] {
    return Array.from(this.invDiag);
  }
}

/**
 * A dense metric with inverse `inv` (row-major d×d). With M⁻¹ = L Lᵀ,
 * p = L⁻ᵀ z has covariance L⁻ᵀ L⁻¹ = M.
 */
export function denseMetric(inv: Float64Array, d: number): Metric {
  return new DenseMetric(inv, d);
}

class DenseMetric implements Metric {
  readonly kind = "dense";
  private readonly l: Float64Array;
  private readonly v: Float64Array;

  constructor(
    private readonly inv: Float64Array,
    readonly dim: number,
  ) {
    this.l = choleskyArray(inv, dim);
    // The factorization gives NaN throughout when the matrix is not positive definite.
    if (Number.isNaN(this.l[0])) throw new RangeError("the inverse metric is not positive definite");
    this.v = new Float64Array(dim);
  }

  /** out[outAt + i] ← (M⁻¹ p[pAt …])ᵢ. */
  private apply(p: Float64Array, pAt: number, out: Float64Array, outAt: number): void {
    const { inv, dim: d } = this;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += inv[i * d + j] * p[pAt + j];
      out[outAt + i] = s;
    }
  }

  kinetic(p: Float64Array, at = 0): number {
    const { v, dim } = this;
    this.apply(p, at, v, 0);
    let k = 0;
    for (let i = 0; i < dim; i++) k += p[at + i] * v[i];
    return 0.5 * k;
  }

  velocity(p: Float64Array, out: Float64Array, at = 0): void {
    this.apply(p, at, out, at);
  }

  sampleMomentum(rng: Rng, out: Float64Array, at = 0): void {
    const { l, dim: d } = this;
    rng.normals(out, at, d);
    // Back substitution: Lᵀ p = z.
    for (let i = d - 1; i >= 0; i--) {
      let s = out[at + i];
      for (let k = i + 1; k < d; k++) s -= l[k * d + i] * out[at + k];
      out[at + i] = s / l[i * d + i];
    }
  }

  inverse(): number[][] {
    const { inv, dim: d } = this;
    return Array.from({ length: d }, (_, i) => Array.from(inv.subarray(i * d, (i + 1) * d)));
  }
}
