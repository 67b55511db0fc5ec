/**
 * The error function, written once against {@link Arith}.
 *
 * Method: the piecewise rational approximations of fdlibm's `s_erf.c`
 * (Sun Microsystems 1993; FreeBSD msun, as ported in @stdlib/math-base-special-erf):
 * |x| < 0.84375: x + x·P(x²)/Q(x²); [0.84375, 1.25): erx + P(s)/Q(s), s = |x| − 1;
 * [1.25, 6): 1 − e^(−x² − 0.5625 + R(1/x²)/S(1/x²)) / |x|, with two (R, S)
 * pairs split at 1/0.35; ≥ 6: ±1. Every piece is evaluated and one selected.
 * fdlibm's bit trick for an exact x² (zeroing the low word) is replaced by
 * rounding |x| down to a multiple of 2⁻²⁰, which needs only `floor`.
 *
 * Measured float64 error (number arith): 1.1e-16 absolute on [−7, 7] against
 * stdlib and against a 256-bit Taylor series (6.5e-17 against mpmath),
 * 2.2e-16 relative for |x| < 0.84375 down to subnormals
 * (test/special/composite.test.ts). onnxruntime: 1.1e-16 absolute in
 * float64, 4.0e-8 in float32 (test/codegen/onnx/special.test.ts).
 * @module
 */
import type { Arith } from "./arith.ts";
import { poly } from "./poly.ts";

// s_erf.c coefficients (shortest decimal forms of the same doubles), ascending powers.
const ERX = 8.45062911510467529297e-1;
const PP = [1.28379167095512558561e-1, -0.3250421072470015, -0.02848174957559851, -0.005770270296489442, -0.000023763016656650163];
const QQ = [1, 0.39791722395915535, 0.0650222499887673, 0.005081306281875766, 0.00013249473800432164, -0.000003960228278775368];
const PA = [
  -2.36211856075265944077e-3, 0.41485611868374833, -0.3722078760357013, 0.31834661990116175, -0.11089469428239668, 0.035478304325618236,
  -0.002166375594868791,
];
const QA = [1, 0.10642088040084423, 0.540397917702171, 0.07182865441419627, 0.12617121980876164, 0.01363708391202905, 0.011984499846799107];
const RA = [
  -9.86494403484714822705e-3, -0.6938585727071818, -10.558626225323291, -62.375332450326006, -162.39666946257347, -184.60509290671104,
  -81.2874355063066, -9.814329344169145,
];
const SA = [
  1, 19.651271667439257, 137.65775414351904, 434.56587747522923, 645.3872717332679, 429.00814002756783, 108.63500554177944,
  6.570249770319282, -0.0604244152148581,
];
const RB = [
  -9.86494292470009928597e-3, -0.799283237680523, -17.757954917754752, -160.63638485582192, -637.5664433683896, -1025.0951316110772,
  -483.5191916086514,
];
const SB = [
  1, 30.33806074348246, 325.7925129965739, 1536.729586084437, 3199.8582195085955, 2553.0504064331644, 474.52854120695537,
  -22.44095244658582,
];

/**
 * The error function erf(x) = 2/√π ∫₀ˣ e^−t² dt: odd, ±1 beyond |x| = 6,
 * NaN at NaN.
 *
 * @example
 * ```ts
 * import { numberArith } from "./arith.ts";
 * erf(numberArith, 1); // ≈ 0.8427007929497149
 * ```
 */
export function erf<T, C>(A: Arith<T, C>, x: T): T {
  const one = A.c(1);
  const ax = A.abs(x);
  // Odd in x, so computed on x itself (erf(−0) = −0).
  const x2 = A.mul(x, x);
  const small = A.add(x, A.mul(x, A.div(poly(A, x2, PP), poly(A, x2, QQ))));
  const s = A.sub(ax, one);
  const mid = A.add(A.c(ERX), A.div(poly(A, s, PA), poly(A, s, QA)));
  // erfc(|x|) = e^(−h² − 0.5625) · e^((h − |x|)(h + |x|) + R/S) / |x|: h has ≤ 23
  // significant bits below 6, so h² and h² + 0.5625 are exact in float64.
  const w = A.div(one, A.mul(ax, ax));
  const rs = A.where(A.lt(ax, A.c(1 / 0.35)), A.div(poly(A, w, RA), poly(A, w, SA)), A.div(poly(A, w, RB), poly(A, w, SB)));
  const h = A.mul(A.floor(A.mul(ax, A.c(2 ** 20))), A.c(2 ** -20));
  const e = A.mul(A.exp(A.sub(A.neg(A.mul(h, h)), A.c(0.5625))), A.exp(A.add(A.mul(A.sub(h, ax), A.add(h, ax)), rs)));
  const tail = A.sub(one, A.div(e, ax));
  // NaN fails every comparison and falls through to `mid`, which is NaN.
  const pos = A.where(A.le(A.c(6), ax), one, A.where(A.le(A.c(1.25), ax), tail, mid));
  return A.where(A.lt(ax, A.c(0.84375)), small, A.where(A.lt(x, A.c(0)), A.neg(pos), pos));
}
