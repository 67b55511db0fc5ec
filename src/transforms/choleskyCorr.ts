/**
 * Cholesky factors of correlation matrices, through canonical partial
 * correlations as in Stan: K(K − 1)/2 unconstrained values z map to
 * w = tanh(z) ∈ (−1, 1), filling the strict lower triangle row by row, each
 * row scaled so that it has unit length.
 * @module
 */
import type { MathAlg } from "../dsl/math.ts";
import { type Shape, sizeOf } from "../tensor/shape.ts";
import type { Tensor } from "../dsl/tensor.ts";
import type { Transform } from "../dsl/transform.ts";

function dims(shape: Shape): { k: number; count: number; free: number } {
  const k = shape.length === 0 ? 1 : shape[shape.length - 1];
  const count = k === 0 ? 0 : sizeOf(shape) / (k * k);
  return { k, count, free: (k * (k - 1)) / 2 };
}

/**
 * One factor from its free values w ∈ (−1, 1) and log(1 − w²). The squared
 * length left in a row after its first j entries is Πₗ<ⱼ (1 − wₗ²), kept as
 * a log so that it stays exact where w rounds to ±1. Pushes the log-Jacobian
 * terms ½ log(what is left) of each entry after the first in a row.
 */
function factor(m: MathAlg, w: (i: number) => Tensor, log1mW2: (i: number) => Tensor, k: number, logJac: Tensor[]): Tensor[] {
  const zero = m.constant(0);
  const entries: Tensor[] = [m.constant(1), ...Array.from({ length: k - 1 }, () => zero)];
  let next = 0;
  for (let i = 1; i < k; i++) {
    let logLeft: Tensor | undefined;
    for (let j = 0; j < i; j++, next++) {
      if (logLeft === undefined) {
        entries.push(w(next));
        logLeft = log1mW2(next);
      } else {
        const halfLogLeft = m.mul(0.5, logLeft);
        logJac.push(halfLogLeft);
        entries.push(m.mul(w(next), m.exp(halfLogLeft)));
        logLeft = m.add(logLeft, log1mW2(next));
      }
    }
    entries.push(m.exp(m.mul(0.5, logLeft ?? 0)), ...Array.from({ length: k - 1 - i }, () => zero));
  }
  return entries;
}

/** L with unit rows; log-Jacobian Σ log(1 − tanh²z) + ½ Σ log(what is left of each row before each entry after the first). */
export const choleskyCorr: Transform = {
  type: "choleskyCorr",
  unconstrainedSize: (shape) => {
    const { count, free } = dims(shape);
    return count * free;
  },
  forward: (m, z, shape) => {
    const { k, count, free } = dims(shape);
    if (free === 0) return { x: m.fill(1, shape), logJac: m.constant(0) };
    const w = m.tanh(z);
    // log(1 − tanh² z) = 2 (log 2 − z − log(1 + e^(−2z))), stable for large |z|.
    const log1mW2 = m.mul(2, m.sub(m.sub(Math.LN2, z), m.log1pExp(m.mul(-2, z))));
    const logJac: Tensor[] = [m.sum(log1mW2)];
    const entries: Tensor[] = [];
    for (let b = 0; b < count; b++) {
      const at = (t: Tensor) => (i: number) => m.at(t, b * free + i);
      entries.push(...factor(m, at(w), at(log1mW2), k, logJac));
    }
    return { x: m.reshape(m.stack(entries), shape), logJac: m.sum(m.stack(logJac)) };
  },
  inverse: (x, shape) => {
    const { k, count, free } = dims(shape);
    const z = new Float64Array(count * free);
    let next = 0;
    for (let b = 0; b < count; b++) {
      const base = b * k * k;
      for (let i = 1; i < k; i++) {
        let sumSq = 0;
        for (let j = 0; j < i; j++) {
          const lij = x[base + i * k + j];
          z[next++] = Math.atanh(lij / Math.sqrt(1 - sumSq));
          sumSq += lij * lij;
        }
      }
    }
    return z;
  },
};
