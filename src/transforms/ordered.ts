/**
 * Increasing vectors: ordered (any real start) and positive-ordered.
 * @module
 */
import { sizeOf } from "../tensor/shape.ts";
import type { Transform } from "../dsl/transform.ts";
import { columns, fromColumns, vectorsOf } from "./lastAxis.ts";

/** Inverts x ↦ cumsum([first(z0), exp(z1), …]) one vector at a time. */
function inverseIncreasing(x: Float64Array, k: number, first: (x0: number) => number): Float64Array {
  const z = new Float64Array(x.length);
  for (let r = 0; r < x.length; r += k) {
    z[r] = first(x[r]);
    for (let j = 1; j < k; j++) z[r + j] = Math.log(x[r + j] - x[r + j - 1]);
  }
  return z;
}

/** x₀ = z₀, xⱼ = xⱼ₋₁ + exp(zⱼ); log-Jacobian Σⱼ≥₁ zⱼ. */
export const ordered: Transform = {
  type: "ordered",
  unconstrainedSize: sizeOf,
  forward: (m, z, shape) => {
    const { k, n } = vectorsOf(shape);
    if (k <= 1) return { x: m.reshape(z, shape), logJac: m.constant(0) };
    const cols = columns(m, z, k, n);
    const steps = m.slice(cols, 1);
    const x = m.cumsum(m.concat([m.slice(cols, 0, 1), m.exp(steps)]));
    return { x: fromColumns(m, x, shape), logJac: m.sum(steps) };
  },
  inverse: (x, shape) => inverseIncreasing(x, vectorsOf(shape).k, (x0) => x0),
};

/** xⱼ = Σᵢ≤ⱼ exp(zᵢ); log-Jacobian Σ z. */
export const positiveOrdered: Transform = {
  type: "positiveOrdered",
  unconstrainedSize: sizeOf,
  forward: (m, z, shape) => {
    const { k, n } = vectorsOf(shape);
    return { x: fromColumns(m, m.cumsum(m.exp(columns(m, z, k, n))), shape), logJac: m.sum(z) };
  },
  inverse: (x, shape) => inverseIncreasing(x, vectorsOf(shape).k, Math.log),
};
