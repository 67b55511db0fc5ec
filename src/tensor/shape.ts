/**
 * Static tensor shapes and NumPy broadcasting.
 * @module
 */
import { ShapeError } from "../errors.ts";

/** Plain numbers: a scalar, a vector, or a matrix as nested rows (what users pass as values and data). */
export type Numeric = number | readonly number[] | readonly (readonly number[])[];

/** A static shape: `[]` a scalar, `[n]` a vector, `[m, n]` a matrix (row-major). */
export type Shape = readonly number[];

/** Number of elements of a shape. */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Whether two shapes are equal. */
export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Prints a shape as `[8, 3]`. */
export function showShape(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

/**
 * The NumPy broadcast of several shapes, or a ShapeError naming `site`.
 * Dimensions are aligned on the right; a dimension of 1 stretches.
 */
export function broadcastShapes(shapes: readonly Shape[], site?: string, what = "operands"): Shape {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let k = 0; k < s.length; k++) {
      const j = rank - s.length + k;
      const d = s[k];
      if (out[j] === 1) out[j] = d;
      else if (d !== 1 && d !== out[j]) {
        throw new ShapeError(site, `${what} of shapes ${shapes.map(showShape).join(" and ")} do not broadcast`);
      }
    }
  }
  return out;
}

/** Whether `from` broadcasts to exactly `to`. */
export function broadcastsTo(from: Shape, to: Shape): boolean {
  if (from.length > to.length) return false;
  for (let k = 0; k < from.length; k++) {
    const d = from[k];
    const t = to[to.length - from.length + k];
    if (d !== 1 && d !== t) return false;
  }
  return true;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    s[k] = acc;
    acc *= shape[k];
  }
  return s;
}

/**
 * Strides with which an array of shape `from`, broadcast to `to`, is read
 * at a multi-index of `to`: 0 along stretched or missing dimensions.
 */
export function broadcastStrides(from: Shape, to: Shape): number[] {
  const own = stridesOf(from);
  const out = new Array<number>(to.length).fill(0);
  for (let k = 0; k < from.length; k++) {
    const j = to.length - from.length + k;
    out[j] = from[k] === 1 ? 0 : own[k];
  }
  return out;
}
