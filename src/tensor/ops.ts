/**
 * The primitive operations every value representation implements: the
 * interpreter's whole obligation for arithmetic. Everything else (the
 * user-facing algebra, distributions, transforms) is derived from these once.
 *
 * Shapes are validated by the caller ({@link makeMath}): a primitive may
 * assume its operands fit (binary operands have equal shapes, and so on).
 * @module
 */
import type { Shape } from "./shape.ts";

/** Elementwise unary primitives. */
export const unaryOps = [
  "neg",
  "exp",
  "log",
  "log1p",
  "expm1",
  "sqrt",
  "abs",
  "sigmoid",
  "softplus",
  "tanh",
  "sin",
  "cos",
  "erf",
  "lgamma",
  "digamma",
  "trigamma",
] as const;
/** An elementwise unary primitive. */
export type UnaryOp = (typeof unaryOps)[number];

/** Elementwise binary primitives (operands of equal shape). */
export const binaryOps = ["add", "sub", "mul", "div", "pow", "max", "min"] as const;
/** An elementwise binary primitive. */
export type BinaryOp = (typeof binaryOps)[number];

/**
 * The body of a `scan`: given the carried values and the slices of the
 * sequences at one step, the next carried values and the step's outputs.
 */
export type ScanBody<V> = (carry: readonly V[], slices: readonly V[]) => { carry: readonly V[]; outputs: readonly V[] };

/** Primitive tensor operations over an interpreter's value type `V`. */
export interface TensorOps<V> {
  /** The static shape of a value. */
  shape(x: V): Shape;
  /** A constant tensor (values row-major). */
  constant(values: Float64Array, shape: Shape): V;
  /** The value if it does not depend on parameters (constants and data), else undefined. */
  knownValue(x: V): Float64Array | undefined;
  /** Elementwise unary function. */
  unary(op: UnaryOp, x: V): V;
  /** Elementwise binary function of two values of the same shape. */
  binary(op: BinaryOp, a: V, b: V): V;
  /** NumPy broadcast of `x` to `shape`. */
  broadcast(x: V, shape: Shape): V;
  /** Same elements, new shape (equal size). */
  reshape(x: V, shape: Shape): V;
  /** Sum over all elements (`axis` null, scalar result) or over one axis (removed). */
  sum(x: V, axis: number | null): V;
  /** log Σ exp over all elements or one axis, computed stably. */
  logSumExp(x: V, axis: number | null): V;
  /** Rows `indices` (0-based) of `x` along its first axis: shape `[k, ...rest]`. */
  gather(x: V, indices: Int32Array): V;
  /** Concatenation along the first axis. */
  concat(xs: readonly V[]): V;
  /** Matrix transpose. */
  transpose(x: V): V;
  /** Matrix product: `[m,k]·[k,n]`, `[m,k]·[k]`, `[k]·[k,n]` or `[k]·[k]`. */
  matmul(a: V, b: V): V;
  /** Lower Cholesky factor of a symmetric positive-definite matrix. */
  cholesky(a: V): V;
  /** Solves `L x = b` (or `Lᵀ x = b` when `transpose`) for lower-triangular `L`; `b` a vector or matrix. */
  triSolve(l: V, b: V, transpose: boolean): V;
  /** Cumulative sum along the first axis. */
  cumsum(x: V): V;
  /**
   * A loop over the first axis of `sequences` (all of length `length`),
   * threading `init` through `body`; returns the final carry and each
   * output stacked along a new first axis. The body may use values from
   * outside (parameters, data): they are read, not carried.
   */
  scan(body: ScanBody<V>, init: readonly V[], sequences: readonly V[], length: number): { carry: V[]; outputs: V[] };
}
