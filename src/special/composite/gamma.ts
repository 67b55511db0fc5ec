/**
 * log Γ and the polygamma functions ψ, ψ₁, ψ₂, written once against
 * {@link Arith} (every branch is evaluated and selected by `where`).
 *
 * Method. lgamma: the Lanczos approximation with N = 11, g = 10.900511
 * (Pugh's coefficients as tabulated in Boost.Math `lanczos.hpp`, in the
 * "sum·e^−g" rational form), always at an argument z ≥ 1 where its rational
 * part is evaluated in 1/z: x ≥ 1 directly, x ∈ (0, 1) as
 * lgamma(x + 1) − log x, x ≤ 0 by reflection. Γ itself is never formed, so
 * nothing overflows below lgamma's own overflow near 2.5·10³⁰⁵.
 * ψ, ψ₁, ψ₂: the recurrence moves x < 10 to x + 10, then the asymptotic
 * (Bernoulli) series to B₁₆, whose first omitted term is < 10⁻¹⁷ at 10.
 * x ≤ 0 by reflection through 1 − x, with sin(πx), cos(πx) taken at
 * x − round(x) so large |x| loses no digits (see poly.ts).
 *
 * Measured error, |error| / max(1, |value|) (relative for ψ₁, ψ₂ at x > 0),
 * float64 number arith against mpmath at 160 bits (offline; the tests use
 * stdlib and series oracles, see test/special/composite.test.ts):
 * - lgamma: 1.4e-15 on (0, 10³⁰⁰] incl. 10⁻³⁰⁰ and around 1 and 2; 2.1e-15 on (−40, 0).
 * - digamma: 8.9e-16 on x > 0, absolute around the root 1.4616…; 1.5e-15 on (−40, 0).
 * - trigamma: 3.2e-16 on x > 0; 5.7e-16 on (−40, 0).
 * - tetragamma: 9.9e-16 on x > 0; 9.1e-16 on (−40, 0).
 * For x ≤ −100 (away from poles) 2e-16 against stdlib. On onnxruntime
 * (test/codegen/onnx/special.test.ts) float64 agrees to the same order
 * (≤ 3.3e-15 against stdlib, ≤ 1.6e-15 against the number arith); float32
 * to 1.3e-6 (lgamma), 6.5e-7 (ψ), 3.1e-7 (ψ₁), 4.9e-7 (ψ₂).
 * @module
 */
import type { Arith } from "./arith.ts";
import { cosPi, poly, reduceToHalf, sinPiOverPi } from "./poly.ts";
import { BERNOULLI_EVEN } from "../trigamma.ts";

const LANCZOS_G = 10.900511;
// Γ(z) = S(z)·((z + g − ½)/e)^(z − ½) with S = P/Q; P and Q (degree 10) are
// written here divided by z¹⁰, as polynomials in r = 1/z (ascending powers),
// so that no term overflows for large z and all terms are positive.
const LANCZOS_P = [
  0.00004624429436045379, 0.004826466289237662, 0.22668404630224365, 6.309239205732627, 115.24194596137347, 1443.4299244417066,
  12555.290582413863, 74887.54032914672, 293136.7857211597, 679979.8474157227, 709811.662581658,
];
// z(z+1)…(z+9) / z¹⁰
const LANCZOS_Q = [1, 45, 870, 9450, 63273, 269325, 723680, 1172700, 1026576, 362880];

/** log Γ(z) for z ≥ 1 by Lanczos. */
function lanczosLgamma<T, C>(A: Arith<T, C>, z: T): T {
  const r = A.div(A.c(1), z);
  const logS = A.log(A.div(poly(A, r, LANCZOS_P), poly(A, r, LANCZOS_Q)));
  const zgh = A.add(z, A.c(LANCZOS_G - 0.5));
  return A.add(A.mul(A.sub(z, A.c(0.5)), A.sub(A.log(zgh), A.c(1))), logS);
}

/**
 * log |Γ(x)| for every real x: +∞ at the poles 0, −1, −2, … and at ±∞,
 * NaN at NaN. (stdlib's gammaln gives −∞ at −∞; C99's lgamma gives +∞.)
 *
 * @example
 * ```ts
 * import { numberArith } from "./arith.ts";
 * lgamma(numberArith, 0.5); // log √π ≈ 0.5723649429247001
 * ```
 */
export function lgamma<T, C>(A: Arith<T, C>, x: T): T {
  const one = A.c(1);
  const reflect = A.le(x, A.c(0));
  const below1 = A.lt(x, one);
  const z = A.where(reflect, A.sub(one, x), A.where(below1, A.add(x, one), x));
  const lz = lanczosLgamma(A, z);
  // log|Γ(x)| = log(π / |sin πx|) − log Γ(1 − x); a pole gives log(1/0) = +∞.
  const s = A.abs(sinPiOverPi(A, reduceToHalf(A, x)));
  const reflected = A.where(A.eq(x, A.c(-Infinity)), A.c(Infinity), A.sub(A.neg(A.log(s)), lz));
  // Γ(x) = Γ(x + 1)/x on (0, 1).
  const positive = A.sub(lz, A.where(below1, A.log(x), A.c(0)));
  return A.where(reflect, reflected, positive);
}

const SHIFT = 10;

/** Σₖ₌₀⁹ (1/(z + k))ᵐ, smallest terms first; the reciprocal first so z^m cannot underflow. */
function shiftSum<T, C>(A: Arith<T, C>, z: T, m: 1 | 2 | 3): T {
  let s: T | undefined;
  for (let k = SHIFT - 1; k >= 0; k--) {
    const r = A.div(A.c(1), k === 0 ? z : A.add(z, A.c(k)));
    const t = m === 1 ? r : m === 2 ? A.mul(r, r) : A.mul(A.mul(r, r), r);
    s = s === undefined ? t : A.add(s, t);
  }
  return s as T;
}

/**
 * f(z) for z > 0 from the asymptotic series `asym` (valid at ≥ 10) and the
 * recurrence f(z) = f(z + 10) + sign·Σ 1/(z + k)ᵐ, applied only below 10.
 */
function shifted<T, C>(A: Arith<T, C>, z: T, asym: (y: T) => T, m: 1 | 2 | 3, sign: number): T {
  const small = A.lt(z, A.c(SHIFT));
  const y = A.where(small, A.add(z, A.c(SHIFT)), z);
  const sum = sign === 1 ? shiftSum(A, z, m) : A.mul(A.c(sign), shiftSum(A, z, m));
  return A.add(asym(y), A.where(small, sum, A.c(0)));
}

/** Σₖ₌₁⁸ w(k)·B₂ₖ·r^(2k−2), Horner in r². */
function bernoulliSeries<T, C>(A: Arith<T, C>, r2: T, w: (k: number) => number): T {
  return poly(
    A,
    r2,
    BERNOULLI_EVEN.map((b, i) => w(i + 1) * b),
  );
}

/** ψ(y) ~ log y − 1/(2y) − Σ B₂ₖ/(2k·y²ᵏ). */
function digammaAsym<T, C>(A: Arith<T, C>, y: T): T {
  const r = A.div(A.c(1), y);
  const r2 = A.mul(r, r);
  const tail = A.mul(
    r2,
    bernoulliSeries(A, r2, (k) => 1 / (2 * k)),
  );
  return A.sub(A.sub(A.log(y), A.mul(A.c(0.5), r)), tail);
}

/** ψ₁(y) ~ 1/y + 1/(2y²) + Σ B₂ₖ/y^(2k+1). */
function trigammaAsym<T, C>(A: Arith<T, C>, y: T): T {
  const r = A.div(A.c(1), y);
  const r2 = A.mul(r, r);
  const tail = A.mul(
    A.mul(r, r2),
    bernoulliSeries(A, r2, () => 1),
  );
  return A.add(A.add(r, A.mul(A.c(0.5), r2)), tail);
}

/** ψ₂(y) ~ −1/y² − 1/y³ − Σ (2k+1)·B₂ₖ/y^(2k+2). */
function tetragammaAsym<T, C>(A: Arith<T, C>, y: T): T {
  const r = A.div(A.c(1), y);
  const r2 = A.mul(r, r);
  const tail = A.mul(
    A.mul(r2, r2),
    bernoulliSeries(A, r2, (k) => 2 * k + 1),
  );
  return A.neg(A.add(A.add(r2, A.mul(r, r2)), tail));
}

/** The reflection's shared parts: z = 1 − x for x ≤ 0 (else x), f = x − round(x), sin(πf)/π. */
function reflection<T, C>(A: Arith<T, C>, x: T): { reflect: C; z: T; f: T; s: T } {
  const reflect = A.le(x, A.c(0));
  const f = reduceToHalf(A, x);
  return { reflect, z: A.where(reflect, A.sub(A.c(1), x), x), f, s: sinPiOverPi(A, f) };
}

/**
 * The digamma function ψ(x) = d/dx log Γ(x) for every real x; NaN at the
 * poles 0, −1, −2, … (as stdlib), +∞ at +∞, NaN at −∞.
 *
 * @example
 * ```ts
 * import { numberArith } from "./arith.ts";
 * digamma(numberArith, 1); // −γ ≈ −0.5772156649015329
 * ```
 */
export function digamma<T, C>(A: Arith<T, C>, x: T): T {
  const { reflect, z, f, s } = reflection(A, x);
  const core = shifted(A, z, (y) => digammaAsym(A, y), 1, -1);
  // ψ(x) = ψ(1 − x) − π·cot(πx), and π·cot(πf) = cos(πf) / (sin(πf)/π).
  const cot = A.div(cosPi(A, f), s);
  const reflected = A.where(A.eq(f, A.c(0)), A.c(NaN), A.sub(core, cot));
  return A.where(reflect, reflected, core);
}

/**
 * The trigamma function ψ₁(x) = Σₙ 1/(x + n)² for every real x; +∞ at the
 * poles 0, −1, −2, … (as src/special/trigamma.ts; stdlib gives NaN), 0 at +∞.
 *
 * @example
 * ```ts
 * import { numberArith } from "./arith.ts";
 * trigamma(numberArith, 1); // π²/6 ≈ 1.6449340668482264
 * ```
 */
export function trigamma<T, C>(A: Arith<T, C>, x: T): T {
  const { reflect, z, s } = reflection(A, x);
  const core = shifted(A, z, (y) => trigammaAsym(A, y), 2, 1);
  // ψ₁(x) = π²/sin²(πx) − ψ₁(1 − x); a pole gives 1/0 = +∞.
  return A.where(reflect, A.sub(A.div(A.c(1), A.mul(s, s)), core), core);
}

/**
 * The tetragamma function ψ₂(x) = −2 Σₙ 1/(x + n)³ for every real x; NaN at
 * the poles 0, −1, −2, … (the one-sided limits differ), 0 at +∞.
 *
 * @example
 * ```ts
 * import { numberArith } from "./arith.ts";
 * tetragamma(numberArith, 1); // −2ζ(3) ≈ −2.4041138063191885
 * ```
 */
export function tetragamma<T, C>(A: Arith<T, C>, x: T): T {
  const { reflect, z, f, s } = reflection(A, x);
  const core = shifted(A, z, (y) => tetragammaAsym(A, y), 3, -2);
  // ψ₂(x) = ψ₂(1 − x) − 2π³ cos(πx)/sin³(πx).
  const term = A.div(A.mul(A.c(2), cosPi(A, f)), A.mul(A.mul(s, s), s));
  const reflected = A.where(A.eq(f, A.c(0)), A.c(NaN), A.sub(core, term));
  return A.where(reflect, reflected, core);
}
