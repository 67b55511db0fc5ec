/**
 * The tetragamma function ψ₂(x) = d³/dx³ log Γ(x): the derivative of
 * trigamma, needed so that trigamma itself has a forward-mode tangent.
 * @module
 */
import { ASYMPTOTIC_FROM, BERNOULLI_EVEN } from "./trigamma.ts";

/** ψ₂(x) for x ≥ {@link ASYMPTOTIC_FROM}: the term-by-term derivative of trigamma's series. */
function tetragammaLarge(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  // −Σₖ (2k+1) B₂ₖ / x^(2k+2), Horner in 1/x² from the smallest term.
  let s = 0;
  for (let k = BERNOULLI_EVEN.length - 1; k >= 0; k--) s = s * r2 + (2 * k + 3) * BERNOULLI_EVEN[k];
  return -r2 - r * r2 - r2 * r2 * s;
}

/**
 * The tetragamma function ψ₂(x) = −2 Σₙ 1/(x + n)³, for every real x.
 *
 * For x > 0 the recurrence ψ₂(x) = ψ₂(x + 1) − 2/x³ moves the argument to
 * x ≥ 10, where an asymptotic series is accurate to a few ulps. For x < 0
 * the reflection ψ₂(x) = ψ₂(1 − x) − 2π³ cos(πx) / sin³(πx) is used, with
 * accuracy degrading as |x| grows. At the poles x = 0, −1, −2, … the value
 * is NaN (the one-sided limits are −∞ and +∞).
 *
 * @example
 * ```ts
 * tetragamma(1); // −2ζ(3) ≈ −2.4041138063191885
 * ```
 */
export function tetragamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (x <= 0) {
    if (Number.isInteger(x)) return NaN;
    const s = Math.sin(Math.PI * x);
    return tetragamma(1 - x) - (2 * Math.PI ** 3 * Math.cos(Math.PI * x)) / (s * s * s);
  }
  let acc = 0;
  let y = x;
  while (y < ASYMPTOTIC_FROM) {
    acc -= 2 / (y * y * y);
    y += 1;
  }
  return tetragammaLarge(y) + acc;
}
