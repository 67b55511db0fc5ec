/**
 * Building blocks of log densities over the algebra, written once: constants,
 * `x·log y` for counts, the log-indicator of a parameter-dependent bound,
 * one-hot encodings of integer values, and the flattening of batched events.
 * @module
 */
import type { MathAlg } from "../dsl/math.ts";
import { type Shape, sizeOf } from "../tensor/shape.ts";
import type { Tensor } from "../dsl/tensor.ts";

/** log(2π). */
export const LOG_2PI = Math.log(2 * Math.PI);
/** log π. */
export const LOG_PI = Math.log(Math.PI);
/** log 2. */
export const LOG_2 = Math.LN2;

/**
 * `x · log y` for a count `x ≥ 0`, with 0 · log 0 = 0 (Stan's multiply_log):
 * where x = 0 the logarithm's argument is shifted by 1, so neither the value
 * nor the gradient in `y` meets 0 · ∞. Exact for integer x. The shift is
 * written max(1 − x, 0), which is ≥ 0 by its form, so the stable forms can
 * take log(σ(z) + shift) apart where σ(z) underflows (see stabilize.ts).
 *
 * @example
 * ```ts
 * xlogyCount(m, m.constant([0, 2]), m.constant([0, 0.5])); // [0, 2 · log 0.5]: 0 · log 0 is 0
 * ```
 */
export function xlogyCount(m: MathAlg, x: Tensor, y: Tensor): Tensor {
  return m.mul(x, m.log(m.add(y, m.max(m.sub(1, x), 0))));
}

/** Below this distance past a bound a value still counts as inside (float32 has it as a normal number). */
const BOUND_SLACK = 2 ** -100;

/**
 * log 1[d ≥ 0]: 0 where d ≥ 0, −∞ where d < 0, with a gradient of exactly 0
 * where d > 0. It is `log(max(d, −ε) + ε) − log(max(d, 0) + ε)`: both terms
 * are log(d + ε) when d ≥ 0, and the first is log 0 when d < −ε. The algebra
 * has no comparison, and `0 · ∞` in a chain rule would turn a product with an
 * indicator into NaN; this form keeps every derivative finite inside the
 * support. Values within ε = 2⁻¹⁰⁰ below the bound count as inside. The ε
 * is added after the max, where no simplification can fold it into a bound
 * it is too small to change: `(2 + ε) − x` is `2 − x` in floating point, and
 * would be −∞ at x = 2 exactly, which a bounded transform reaches by rounding.
 *
 * @example
 * ```ts
 * const [x, lower, upper] = [m.constant([-0.5, 0.5, 1.5]), 0, 1];
 * m.add(logStep(m, m.sub(x, lower)), logStep(m, m.sub(upper, x))); // log 1[lower ≤ x ≤ upper]: [−∞, 0, −∞]
 * ```
 */
export function logStep(m: MathAlg, d: Tensor): Tensor {
  return m.sub(m.log(m.add(m.max(d, -BOUND_SLACK), BOUND_SLACK)), m.log(m.add(m.max(d, 0), BOUND_SLACK)));
}

/**
 * One-hot rows `[..., K]` of integer values `x` (any shape): entry k is
 * max(0, 1 − |x − k|), exactly 1[x = k] for integers. Built by arithmetic,
 * so it works in every interpreter, including symbolic ones where `x` is a
 * node and cannot be used as an index. Values outside 0 … K−1 give a zero row.
 *
 * @example
 * ```ts
 * oneHot(m, m.constant([2, 0]), 3); // [[0, 0, 1], [1, 0, 0]]
 * ```
 */
export function oneHot(m: MathAlg, x: Tensor, k: number): Tensor {
  const ks = m.constant(Array.from({ length: k }, (_, i) => i));
  const col = m.reshape(x, [...m.shapeOf(x), 1]);
  return m.max(m.sub(1, m.abs(m.sub(col, ks))), 0);
}

/**
 * A tensor of shape `[...batch, ...event]` as a matrix with one column per
 * batch element (`[size(event), n]`), so that per-event work (triangular
 * solves, slices along the event axis) is one matrix operation; `batch` is
 * returned to reshape results back.
 */
export function eventColumns(m: MathAlg, x: Tensor, eventRank: number): { cols: Tensor<2>; batch: Shape } {
  const shape = m.shapeOf(x);
  const batch = shape.slice(0, shape.length - eventRank);
  const rows = m.reshape(x, [sizeOf(batch), sizeOf(shape.slice(batch.length))]);
  return { cols: m.transpose(rows), batch };
}

/** The last axis of an operand, for reductions over an event axis. */
export function lastAxis(m: MathAlg, x: Tensor): number {
  return m.shapeOf(x).length - 1;
}
