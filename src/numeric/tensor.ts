/**
 * The numeric interpreter's value: a dense row-major tensor with one
 * forward-mode tangent (a dual number per element), and the plumbing that
 * lifts plain-array maps to tangents so each op states its rule once.
 * @module
 */
import { type Shape, showShape, sizeOf } from "../tensor/shape.ts";

/**
 * A tensor value with its tangent along one forward-mode direction.
 * Treated as immutable: ops never write into an operand's arrays, and may
 * share them (reshape returns the same arrays under a new shape).
 */
export interface NumTensor {
  /** The static shape. */
  readonly shape: Shape;
  /** The values, row-major. */
  readonly v: Float64Array;
  /** The tangent, row-major like `v`; null means identically zero (a constant). */
  readonly d: Float64Array | null;
}

/**
 * A numeric tensor from values, a shape and optionally a tangent; throws if
 * the lengths do not match the shape.
 *
 * @example
 * ```ts
 * const x = numTensor(Float64Array.of(1, 2), [2], Float64Array.of(1, 0)); // ∂/∂x₀
 * ```
 */
export function numTensor(v: Float64Array, shape: Shape, d: Float64Array | null = null): NumTensor {
  const n = sizeOf(shape);
  if (v.length !== n) throw new Error(`numTensor: ${v.length} values for shape ${showShape(shape)}`);
  if (d !== null && d.length !== n) throw new Error(`numTensor: tangent of length ${d.length} for shape ${showShape(shape)}`);
  return { shape, v, d };
}

/** The tangent of `x` as an array, zeros when it is symbolically zero. */
export function tangentOf(x: NumTensor): Float64Array {
  return x.d ?? new Float64Array(x.v.length);
}

/** Whether any of `xs` carries a tangent (otherwise results are constants). */
export function anyTangent(xs: readonly NumTensor[]): boolean {
  return xs.some((x) => x.d !== null);
}

/**
 * Lifts a linear map of arrays to tensors: the tangent of a linear map is
 * the same map applied to the tangent, so value and tangent share `f`.
 */
export function linear(x: NumTensor, shape: Shape, f: (a: Float64Array) => Float64Array): NumTensor {
  return numTensor(f(x.v), shape, x.d === null ? null : f(x.d));
}

/** Lifts a map linear in each of several arrays jointly (concatenation, stacking). */
export function linearN(xs: readonly NumTensor[], shape: Shape, f: (as: readonly Float64Array[]) => Float64Array): NumTensor {
  return numTensor(f(xs.map((x) => x.v)), shape, anyTangent(xs) ? f(xs.map(tangentOf)) : null);
}

/** Elementwise a + b into a new array. */
export function addArrays(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return out;
}

/**
 * Lifts a bilinear map f(a, b) (a matrix product): by the product rule the
 * tangent is f(da, b) + f(a, db), with a null tangent's term left out.
 */
export function bilinear(a: NumTensor, b: NumTensor, shape: Shape, f: (a: Float64Array, b: Float64Array) => Float64Array): NumTensor {
  const fromA = a.d === null ? null : f(a.d, b.v);
  const fromB = b.d === null ? null : f(a.v, b.d);
  const d = fromA === null ? fromB : fromB === null ? fromA : addArrays(fromA, fromB);
  return numTensor(f(a.v, b.v), shape, d);
}
