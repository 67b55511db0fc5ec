/**
 * Elementwise primitives of the numeric interpreter: one table row per op
 * with the value and its partial derivatives, so a missing rule is a
 * compile error.
 *
 * A zero tangent entry contributes exactly zero, and its partial derivative
 * is not even evaluated. That keeps e.g. sqrt at 0, or pow of a negative base
 * with a constant exponent (where ∂/∂b = aᵇ log a is NaN), from turning an
 * unrelated gradient component into NaN, as 0·∞ would.
 * @module
 */
import type { BinaryOp, UnaryOp } from "../tensor/ops.ts";
import { digamma, erf, lgamma, sigmoid, softplus, tetragamma, trigamma } from "../special/index.ts";
import { type NumTensor, numTensor } from "./tensor.ts";

/** A unary rule: the value, and f′ given the argument and the value. */
interface UnaryRule {
  f(x: number): number;
  df(x: number, y: number): number;
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** Value and derivative of every unary primitive. */
export const unaryRules: { readonly [K in UnaryOp]: UnaryRule } = {
  neg: { f: (x) => -x, df: () => -1 },
  exp: { f: Math.exp, df: (_x, y) => y },
  log: { f: Math.log, df: (x) => 1 / x },
  log1p: { f: Math.log1p, df: (x) => 1 / (1 + x) },
  expm1: { f: Math.expm1, df: (_x, y) => y + 1 },
  sqrt: { f: Math.sqrt, df: (_x, y) => 0.5 / y },
  // sign(x), and 0 at the kink (Math.sign(0) is ±0).
  abs: { f: Math.abs, df: (x) => Math.sign(x) },
  sigmoid: { f: sigmoid, df: (_x, y) => y * (1 - y) },
  softplus: { f: softplus, df: (x) => sigmoid(x) },
  tanh: { f: Math.tanh, df: (_x, y) => 1 - y * y },
  sin: { f: Math.sin, df: (x) => Math.cos(x) },
  cos: { f: Math.cos, df: (x) => -Math.sin(x) },
  erf: { f: erf, df: (x) => TWO_OVER_SQRT_PI * Math.exp(-x * x) },
  lgamma: { f: lgamma, df: (x) => digamma(x) },
  digamma: { f: digamma, df: (x) => trigamma(x) },
  trigamma: { f: trigamma, df: (x) => tetragamma(x) },
};

/** A binary rule: the value, and each partial given the arguments and the value. */
interface BinaryRule {
  f(a: number, b: number): number;
  da(a: number, b: number, y: number): number;
  db(a: number, b: number, y: number): number;
}

/** Value and partial derivatives of every binary primitive. */
export const binaryRules: { readonly [K in BinaryOp]: BinaryRule } = {
  add: { f: (a, b) => a + b, da: () => 1, db: () => 1 },
  sub: { f: (a, b) => a - b, da: () => 1, db: () => -1 },
  mul: { f: (a, b) => a * b, da: (_a, b) => b, db: (a) => a },
  div: { f: (a, b) => a / b, da: (_a, b) => 1 / b, db: (_a, b, y) => -y / b },
  // b·a^(b−1) rather than b·y/a, which is 0/0 at a = 0.
  pow: { f: Math.pow, da: (a, b) => b * Math.pow(a, b - 1), db: (a, _b, y) => y * Math.log(a) },
  // The tangent of the selected argument; ties select the first.
  max: { f: (a, b) => (a >= b ? a : Math.max(a, b)), da: (a, b) => (a >= b ? 1 : 0), db: (a, b) => (a >= b ? 0 : 1) },
  min: { f: (a, b) => (a <= b ? a : Math.min(a, b)), da: (a, b) => (a <= b ? 1 : 0), db: (a, b) => (a <= b ? 0 : 1) },
};

/** Applies a unary primitive with its tangent. */
export function unary(op: UnaryOp, x: NumTensor): NumTensor {
  const rule = unaryRules[op];
  const n = x.v.length;
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rule.f(x.v[i]);
  if (x.d === null) return numTensor(v, x.shape);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = x.d[i];
    d[i] = t === 0 ? 0 : t * rule.df(x.v[i], v[i]);
  }
  return numTensor(v, x.shape, d);
}

/** Applies a binary primitive to operands of equal shape, with its tangent. */
export function binary(op: BinaryOp, a: NumTensor, b: NumTensor): NumTensor {
  const rule = binaryRules[op];
  const n = a.v.length;
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rule.f(a.v[i], b.v[i]);
  if (a.d === null && b.d === null) return numTensor(v, a.shape);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ta = a.d === null ? 0 : a.d[i];
    const tb = b.d === null ? 0 : b.d[i];
    const x = a.v[i];
    const y = b.v[i];
    d[i] = (ta === 0 ? 0 : ta * rule.da(x, y, v[i])) + (tb === 0 ? 0 : tb * rule.db(x, y, v[i]));
  }
  return numTensor(v, a.shape, d);
}
