/**
 * log1p, expm1 and the logistic pair, written once against {@link Arith}.
 * ONNX has neither log1p nor expm1, and computing log(1 + x) or eˣ − 1
 * directly loses every digit for tiny x.
 *
 * Method: log1p by the first-order correction of log(1 + x) for the rounding
 * of u = 1 + x; expm1 by Kahan's (u − 1)·x / log u with u = eˣ; softplus
 * and sigmoid through e^−|x| ≤ 1, which never overflows.
 *
 * Measured float64 relative error (number arith) against V8's Math.log1p /
 * Math.expm1 (fdlibm ports) and src/special/logistic.ts: log1p 2.2e-16,
 * expm1 2.4e-16, softplus 2.2e-16, sigmoid 0 (the same formula)
 * (test/special/composite.test.ts). onnxruntime float64: 2.5e-16, 4.3e-16,
 * 3.2e-16, 3.0e-16; float32: 1.7e-7, 1.7e-7, 1.4e-7, 1.1e-7, relative
 * wherever the result is a normal float32 (test/codegen/onnx/special.test.ts).
 * @module
 */
import type { Arith } from "./arith.ts";

/**
 * log(1 + x), accurate for tiny x: log u − ((u − 1) − x)/u with u = 1 + x
 * (u = 1 gives x exactly). −∞ at −1, NaN below, +∞ at +∞.
 *
 * @example
 * ```ts
 * import { numberArith } from "./arith.ts";
 * log1p(numberArith, 1e-20); // 1e-20
 * ```
 */
export function log1p<T, C>(A: Arith<T, C>, x: T): T {
  const u = A.add(A.c(1), x);
  const corr = A.div(A.sub(A.sub(u, A.c(1)), x), u);
  // corr is 0/0 only at x = −1 and ∞ − ∞ only at x = +∞, where log u is already right.
  return A.sub(A.log(u), A.where(A.isNaN(corr), A.c(0), corr));
}

/**
 * eˣ − 1, accurate for tiny x (Kahan: (u − 1)·(x / log u), u = eˣ). −1 at −∞,
 * +∞ from x ≈ 709.8 on.
 *
 * @example
 * ```ts
 * import { numberArith } from "./arith.ts";
 * expm1(numberArith, 1e-20); // 1e-20
 * ```
 */
export function expm1<T, C>(A: Arith<T, C>, x: T): T {
  const one = A.c(1);
  const u = A.exp(x);
  const um1 = A.sub(u, one);
  // x/log u ≈ 1 first, so (u − 1)·x cannot overflow near x = 709.
  const kahan = A.mul(um1, A.div(x, A.log(u)));
  // u = 1: |x| < 2⁻⁵³, eˣ − 1 = x to double precision; u − 1 = −1: eˣ < 2⁻⁵³,
  // and u = 0 would make the quotient 0; u = ∞: overflow, ∞/∞ would be NaN.
  const neg1 = A.c(-1);
  return A.where(A.eq(u, one), x, A.where(A.eq(um1, neg1), neg1, A.where(A.eq(u, A.c(Infinity)), u, kahan)));
}

/**
 * softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^−|x|), finite for finite x.
 *
 * @example
 * ```ts
 * import { numberArith } from "./arith.ts";
 * softplus(numberArith, 0); // log 2
 * ```
 */
export function softplus<T, C>(A: Arith<T, C>, x: T): T {
  const relu = A.where(A.lt(x, A.c(0)), A.c(0), x);
  return A.add(relu, log1p(A, A.exp(A.neg(A.abs(x)))));
}

/**
 * The logistic function σ(x) = 1/(1 + e^−x), through u = e^−|x|:
 * 1/(1 + u) for x ≥ 0, u/(1 + u) below (relative accuracy in both tails).
 *
 * @example
 * ```ts
 * import { numberArith } from "./arith.ts";
 * sigmoid(numberArith, 0); // 0.5
 * ```
 */
export function sigmoid<T, C>(A: Arith<T, C>, x: T): T {
  const u = A.exp(A.neg(A.abs(x)));
  const d = A.add(A.c(1), u);
  return A.where(A.le(A.c(0), x), A.div(A.c(1), d), A.div(u, d));
}
