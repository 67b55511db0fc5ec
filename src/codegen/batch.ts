/**
 * A log density evaluated for many points at once: what lockstep chains,
 * particles and Monte-Carlo estimates consume, and what the ONNX backend
 * serves (one runtime call per batch).
 * @module
 */
import type { LogDensity } from "./density.ts";

/** log p and ∇ log p for a batch of points, asynchronously. */
export interface BatchDensity {
  /** Dimension of θ. */
  readonly dim: number;
  /**
   * Evaluates `n` points stored row-major in `points` (n × dim), writing
   * log p into `logp` (length ≥ n) and gradients row-major into `grad`
   * (length ≥ n × dim). A point where the density is not finite gets
   * log p = −∞ or NaN; it never throws for a bad point.
   */
  logpGradBatch(points: Float64Array, n: number, logp: Float64Array, grad: Float64Array): Promise<void>;
}

/** A single-point density served as a batch density (loops over the points; no runtime call cost). */
export function batchOf(density: LogDensity): BatchDensity {
  const d = density.dim;
  return {
    dim: d,
    async logpGradBatch(points, n, logp, grad) {
      for (let i = 0; i < n; i++) {
        const g = grad.subarray(i * d, (i + 1) * d);
        try {
          logp[i] = density.logpGrad(points.subarray(i * d, (i + 1) * d), g);
        } catch {
          logp[i] = Number.NaN;
        }
      }
    },
  };
}
