/**
 * Shared plumbing for the diagnostics: the chains × draws input, pooling,
 * and posterior's rule for when a diagnostic is undefined.
 * @module
 */

/** Draws of one quantity: one array per chain, all of the same length. */
export type Chains = readonly ArrayLike<number>[];

/**
 * Checks that every chain has the same number of draws and returns it.
 *
 * @example
 * ```ts
 * drawsPerChain([[1, 2], [3, 4]]); // 2
 * ```
 */
export function drawsPerChain(chains: Chains): number {
  if (chains.length === 0) throw new RangeError("diagnostics need at least one chain");
  const n = chains[0].length;
  for (const c of chains) {
    if (c.length !== n) throw new RangeError(`chains differ in length (${n} and ${c.length} draws)`);
  }
  return n;
}

/**
 * All draws in one array, chain after chain.
 *
 * @example
 * ```ts
 * pool([[1, 2], [3]]); // Float64Array [1, 2, 3]
 * ```
 */
export function pool(chains: Chains): Float64Array {
  let total = 0;
  for (const c of chains) total += c.length;
  const out = new Float64Array(total);
  let k = 0;
  for (const c of chains) for (let i = 0; i < c.length; i++) out[k++] = c[i];
  return out;
}

/**
 * posterior's `should_return_NA`: a diagnostic is undefined (NaN) when any
 * draw is NaN or infinite, or when all draws agree to within machine epsilon.
 *
 * @example
 * ```ts
 * isDegenerate([[1, 1], [1, 1]]); // true
 * ```
 */
export function isDegenerate(chains: Chains): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of chains) {
    for (let i = 0; i < c.length; i++) {
      const x = c[i];
      if (!Number.isFinite(x)) return true;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  return isDegenerateRange(lo, hi, true);
}

/**
 * {@link isDegenerate} from the smallest and largest draw and whether every
 * draw is finite, for a pass over the draws that has its own job.
 *
 * @example
 * ```ts
 * isDegenerateRange(1, 1 + 1e-17, true); // true
 * ```
 */
export function isDegenerateRange(lo: number, hi: number, finite: boolean): boolean {
  return !finite || !(Math.abs(hi - lo) >= Number.EPSILON);
}

/**
 * Sample variance with the n − 1 denominator; NaN for fewer than two values,
 * as R's `var`. Two passes, since a one-pass sum of squares loses digits.
 *
 * @example
 * ```ts
 * variance([1, 2, 3]); // 1
 * ```
 */
export function variance(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return NaN;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - m) * (x[i] - m);
  return ss / (n - 1);
}
