/**
 * The logistic function and its integral, written to stay finite and
 * accurate for large |x| where the textbook forms overflow or cancel.
 * @module
 */

/**
 * The logistic function σ(x) = 1 / (1 + e^−x).
 *
 * @example
 * ```ts
 * sigmoid(0); // 0.5
 * ```
 */
export function sigmoid(x: number): number {
  // Only ever exponentiate a non-positive number, so e^… never overflows.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * softplus(x) = log(1 + e^x) (Stan's log1p_exp), finite for every finite x:
 * x + log1p(e^−x) for x > 0, log1p(e^x) otherwise.
 *
 * @example
 * ```ts
 * softplus(1000); // 1000
 * ```
 */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
