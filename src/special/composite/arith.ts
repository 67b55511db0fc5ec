/**
 * The arithmetic that composite special functions are written against.
 * Each composite (lgamma, digamma, erf, …) is written once, generically, and
 * runs on any implementation of {@link Arith}: plain numbers (to test it),
 * ONNX graph nodes (where ONNX lacks the op, or lacks it in float64), and
 * TypeScript source text (the standalone module).
 * @module
 */

/**
 * Elementwise arithmetic over values `T` with conditions `C`. `where`
 * evaluates both branches (as ONNX does), so a branch may be NaN or ±∞
 * where it is not selected.
 */
export interface Arith<T, C> {
  /** A constant. */
  c(x: number): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  neg(a: T): T;
  abs(a: T): T;
  exp(a: T): T;
  log(a: T): T;
  sqrt(a: T): T;
  floor(a: T): T;
  sin(a: T): T;
  cos(a: T): T;
  /** a < b */
  lt(a: T, b: T): C;
  /** a ≤ b */
  le(a: T, b: T): C;
  /** a == b */
  eq(a: T, b: T): C;
  isNaN(a: T): C;
  or(a: C, b: C): C;
  and(a: C, b: C): C;
  /** `cond ? a : b`, elementwise. */
  where(cond: C, a: T, b: T): T;
}

/** {@link Arith} on plain numbers. */
export const numberArith: Arith<number, boolean> = {
  c: (x) => x,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  neg: (a) => -a,
  abs: Math.abs,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  floor: Math.floor,
  sin: Math.sin,
  cos: Math.cos,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  eq: (a, b) => a === b,
  isNaN: Number.isNaN,
  or: (a, b) => a || b,
  and: (a, b) => a && b,
  where: (cond, a, b) => (cond ? a : b),
};
