/**
 * log Σ exp over plain arrays, shifted by the maximum so nothing overflows.
 * @module
 */

/**
 * log Σₖ exp(xs[offset + k·stride]) for k < count, stably: the maximum is
 * subtracted first. An empty sum or all −∞ gives −∞; any +∞ gives +∞; any
 * NaN gives NaN.
 *
 * @example
 * ```ts
 * logSumExpStrided(Float64Array.of(0, 9, 0), 0, 2, 2); // log 2
 * ```
 */
export function logSumExpStrided(xs: ArrayLike<number>, offset: number, count: number, stride: number): number {
  let m = -Infinity;
  for (let k = 0; k < count; k++) {
    const x = xs[offset + k * stride];
    if (Number.isNaN(x)) return NaN;
    if (x > m) m = x;
  }
  // Infinite maxima would give ∞ − ∞ = NaN below; the sum is then the maximum itself.
  if (m === Infinity || m === -Infinity) return m;
  let s = 0;
  for (let k = 0; k < count; k++) s += Math.exp(xs[offset + k * stride] - m);
  return m + Math.log(s);
}

/**
 * log Σ exp of all elements of `xs`, stably (see {@link logSumExpStrided}).
 *
 * @example
 * ```ts
 * logSumExp([Math.log(1), Math.log(3)]); // log 4
 * ```
 */
export function logSumExp(xs: ArrayLike<number>): number {
  return logSumExpStrided(xs, 0, xs.length, 1);
}
