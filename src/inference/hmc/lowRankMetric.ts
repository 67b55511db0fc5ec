/**
 * A diagonal metric with a low-rank correction, nutpie's form (Seyboldt,
 * Carlson & Carpenter, arXiv:2603.18845): M⁻¹ = S (I + Σⱼ (λⱼ − 1) uⱼuⱼᵀ) S with
 * S = diag(σ), σ² the inverse diagonal, and k orthonormal directions uⱼ of
 * the σ-scaled space along which the posterior is wider (λ > 1) or narrower
 * (λ < 1) than the diagonal says. Every operation costs O(dk); with k = d it
 * is a dense metric. Methods honour the offset contract of metric.ts.
 * @module
 */
import type { Rng } from "../../random/rng.ts";
import type { LowRankParts, Metric } from "./metric.ts";

/**
 * The metric with inverse diagonal `invDiag` (σ², d values), unit
 * eigenvectors `vectors` (k rows of d, orthonormal) and eigenvalues `values`
 * (k, positive) of the correction in the σ-scaled space.
 *
 * @example
 * ```ts
 * // Two coordinates of scale 1 correlated 0.9: the σ-scaled covariance has eigenvalues 1.9 and 0.1.
 * const r = Math.SQRT1_2;
 * const m = lowRankMetric(Float64Array.of(1, 1), Float64Array.of(r, r, r, -r), Float64Array.of(1.9, 0.1));
 * m.inverse(); // [[1, 0.9], [0.9, 1]]
 * ```
 */
export function lowRankMetric(invDiag: Float64Array, vectors: Float64Array, values: Float64Array): Metric {
  return new LowRankMetric(invDiag, vectors, values);
}

/** See {@link lowRankMetric}; a class for the reason metric.ts gives. */
class LowRankMetric implements Metric {
  readonly kind = "lowRank";
  readonly dim: number;
  private readonly k: number;
  private readonly sd: Float64Array;
  private readonly lambdaMinus1: Float64Array;
  // p ~ N(0, M) as S⁻¹ (I + Σ (λ^(−1/2) − 1) uuᵀ) z: the symmetric square root of M's inner factor.
  private readonly momentumShrink: Float64Array;
  private readonly t: Float64Array;
  readonly lowRank: LowRankParts;

  constructor(
    private readonly sigma2: Float64Array,
    private readonly vectors: Float64Array,
    values: Float64Array,
  ) {
    this.dim = sigma2.length;
    this.k = values.length;
    // Loops rather than TypedArray.map (a callback per element): warm-up makes a metric after every draw.
    this.sd = new Float64Array(this.dim);
    for (let i = 0; i < this.dim; i++) this.sd[i] = Math.sqrt(sigma2[i]);
    this.lambdaMinus1 = new Float64Array(this.k);
    this.momentumShrink = new Float64Array(this.k);
    for (let j = 0; j < this.k; j++) {
      this.lambdaMinus1[j] = values[j] - 1;
      this.momentumShrink[j] = 1 / Math.sqrt(values[j]) - 1;
    }
    this.t = new Float64Array(this.k);
    this.lowRank = { sd: this.sd, lambdaMinus1: this.lambdaMinus1, vectors };
  }

  /** t ← Uᵀ (scale ⊙ x[at …]) with scale = σ (or 1 when `scaled` is false). */
  private project(x: Float64Array, at: number, scaled: boolean): void {
    const { vectors, sd, t, k, dim: d } = this;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += vectors[j * d + i] * (scaled ? sd[i] : 1) * x[at + i];
      t[j] = s;
    }
  }

  kinetic(p: Float64Array, at = 0): number {
    const { sigma2, lambdaMinus1, t, k, dim: d } = this;
    this.project(p, at, true);
    let e = 0;
    for (let i = 0; i < d; i++) e += sigma2[i] * p[at + i] * p[at + i];
    for (let j = 0; j < k; j++) e += lambdaMinus1[j] * t[j] * t[j];
    return 0.5 * e;
  }

  velocity(p: Float64Array, out: Float64Array, at = 0): void {
    const { vectors, sd, lambdaMinus1, t, k, dim: d } = this;
    this.project(p, at, true);
    for (let i = 0; i < d; i++) out[at + i] = sd[i] * p[at + i];
    for (let j = 0; j < k; j++) {
      const c = lambdaMinus1[j] * t[j];
      for (let i = 0; i < d; i++) out[at + i] += c * vectors[j * d + i];
    }
    for (let i = 0; i < d; i++) out[at + i] *= sd[i];
  }

  sampleMomentum(rng: Rng, out: Float64Array, at = 0): void {
    const { vectors, sd, momentumShrink, t, k, dim: d } = this;
    rng.normals(out, at, d);
    this.project(out, at, false);
    for (let j = 0; j < k; j++) {
      const c = momentumShrink[j] * t[j];
      for (let i = 0; i < d; i++) out[at + i] += c * vectors[j * d + i];
    }
    for (let i = 0; i < d; i++) out[at + i] /= sd[i];
  }

  inverse(): number[][] {
    const { vectors, sd, lambdaMinus1, k, dim: d } = this;
    const rows = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => (a === b ? 1 : 0)));
    for (let j = 0; j < k; j++)
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) rows[a][b] += lambdaMinus1[j] * vectors[j * d + a] * vectors[j * d + b];
    return rows.map((row, a) => row.map((v, b) => sd[a] * v * sd[b]));
  }
}
