/**
 * The trigamma function ψ₁(x) = d²/dx² log Γ(x), which npm's stdlib lacks.
 * @module
 */

/**
 * Bernoulli numbers B₂, B₄, …, B₁₆: the coefficients of the asymptotic
 * series ψ₁(x) ~ 1/x + 1/(2x²) + Σₖ B₂ₖ / x^(2k+1).
 */
export const BERNOULLI_EVEN = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510] as const;

/**
 * Where the asymptotic series takes over. At x ≥ 10 the first omitted term
 * (B₁₈/x¹⁹ ≈ 6·10⁻¹⁸) is below double rounding; at 6 it would not be.
 */
export const ASYMPTOTIC_FROM = 10;

/** ψ₁(x) for x ≥ {@link ASYMPTOTIC_FROM}, by the asymptotic series. */
function trigammaLarge(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  // Horner in 1/x² from the smallest term, so rounding stays at the last place.
  let s = 0;
  for (let k = BERNOULLI_EVEN.length - 1; k >= 0; k--) s = s * r2 + BERNOULLI_EVEN[k];
  return r + r2 / 2 + r * r2 * s;
}

/**
 * The trigamma function ψ₁(x) = Σₙ 1/(x + n)², for every real x.
 *
 * For x > 0 the recurrence ψ₁(x) = ψ₁(x + 1) + 1/x² moves the argument to
 * x ≥ 10, where an asymptotic series is accurate to a few ulps. For x < 0
 * the reflection ψ₁(x) = π² / sin²(πx) − ψ₁(1 − x) is used; its accuracy
 * degrades as |x| grows (sin(πx) loses digits), which densities never need.
 * At the poles x = 0, −1, −2, … the value is +Infinity (the limit from
 * both sides); NaN gives NaN.
 *
 * @example
 * ```ts
 * trigamma(1); // π²/6 ≈ 1.6449340668482264
 * ```
 */
export function trigamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (x <= 0) {
    if (Number.isInteger(x)) return Infinity;
    const s = Math.sin(Math.PI * x);
    return (Math.PI * Math.PI) / (s * s) - trigamma(1 - x);
  }
  // Collect the small terms 1/(x+k)² first and add the larger tail last.
  let acc = 0;
  let y = x;
  while (y < ASYMPTOTIC_FROM) {
    acc += 1 / (y * y);
    y += 1;
  }
  return trigammaLarge(y) + acc;
}
