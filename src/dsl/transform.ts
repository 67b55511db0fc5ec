/**
 * The bijection between a constrained site and its unconstrained coordinates.
 * @module
 */
import type { MathAlg } from "./math.ts";
import type { TransformType } from "../tensor/layout.ts";
import type { Shape } from "../tensor/shape.ts";
import type { Tensor } from "./tensor.ts";

/** Bounds of a bounded transform, as tensors of the running interpreter. */
export interface Bounds<T> {
  readonly lower?: T;
  readonly upper?: T;
}

/**
 * A bijector from ℝ^size to the support, written once over the algebra.
 * `forward` returns the constrained value and log |det J| (a scalar).
 */
export interface Transform {
  readonly type: TransformType;
  /** Length of the unconstrained vector for a value of `shape`. */
  unconstrainedSize(shape: Shape): number;
  /** z (a vector of `unconstrainedSize(shape)`) ↦ x of `shape`, with the log-Jacobian. */
  forward(m: MathAlg, z: Tensor<1>, shape: Shape, bounds: Bounds<Tensor>): { x: Tensor; logJac: Tensor<0> };
  /** x ↦ z, numerically; bounds already broadcast to x's size (row-major). */
  inverse(x: Float64Array, shape: Shape, bounds: Bounds<Float64Array>): Float64Array;
}
