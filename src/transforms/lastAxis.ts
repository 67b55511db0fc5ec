/**
 * Vector transforms (ordered, simplex) act along the last axis of a value
 * whose leading axes are a plate. The algebra scans and slices along the
 * first axis, so these helpers move the last axis first and back.
 * @module
 */
import type { MathAlg } from "../dsl/math.ts";
import { type Shape, sizeOf } from "../tensor/shape.ts";
import type { Tensor } from "../dsl/tensor.ts";

/** The vector length K and the number of vectors n of a value of `shape`. */
export function vectorsOf(shape: Shape): { k: number; n: number } {
  const k = shape.length === 0 ? 1 : shape[shape.length - 1];
  return { k, n: k === 0 ? 0 : sizeOf(shape) / k };
}

/** z of n·K values (row-major, one vector per row) as a K×n matrix. */
export function columns(m: MathAlg, z: Tensor, k: number, n: number): Tensor<2> {
  return m.transpose(m.reshape(z, [n, k]));
}

/** A K×n matrix of vectors back to `shape`. */
export function fromColumns(m: MathAlg, x: Tensor<2>, shape: Shape): Tensor {
  return m.reshape(m.transpose(x), shape);
}
