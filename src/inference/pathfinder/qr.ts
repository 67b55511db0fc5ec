/**
 * The thin QR decomposition by Householder reflections, for the low-rank
 * factor of Pathfinder's inverse-Hessian estimate (paper, Algorithm 4).
 * Householder, not Gram–Schmidt: the columns of that factor become nearly
 * dependent as L-BFGS converges, and Q must stay orthonormal regardless.
 * @module
 */

/** A thin QR decomposition A = Q R of an n×k matrix, n ≥ k. */
export interface ThinQr {
  /** n×k with orthonormal columns, row-major. */
  readonly q: Float64Array;
  /** k×k upper triangular, row-major. */
  readonly r: Float64Array;
}

/**
 * The thin QR decomposition of the n×k row-major matrix `a` (n ≥ k); `a` is
 * not modified. A rank-deficient `a` is fine: R then has zeros on its
 * diagonal and Q is still orthonormal.
 *
 * @example
 * ```ts
 * const { q, r } = thinQr(Float64Array.of(3, 0, 4, 0, 0, 1), 3, 2); // q·r = a
 * ```
 */
export function thinQr(a: Float64Array, n: number, k: number): ThinQr {
  if (n < k) throw new RangeError(`thinQr needs at least as many rows as columns, got ${n}×${k}`);
  const w = Float64Array.from(a);
  const vs: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const v = new Float64Array(n - j);
    let norm2 = 0;
    for (let i = j; i < n; i++) norm2 += w[i * k + j] ** 2;
    const x0 = w[j * k + j];
    // The sign opposite to x0's avoids cancellation in v₀ = x₀ − α.
    const alpha = x0 >= 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    for (let i = j; i < n; i++) v[i - j] = w[i * k + j];
    v[0] -= alpha;
    reflect(w, v, j, k, j);
    vs.push(v);
  }
  const r = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) r[i * k + j] = w[i * k + j];
  // Q = H₀ H₁ … H_{k−1} applied to the first k columns of the identity.
  const q = new Float64Array(n * k);
  for (let i = 0; i < k; i++) q[i * k + i] = 1;
  for (let j = k - 1; j >= 0; j--) reflect(q, vs[j], j, k, 0);
  return { q, r };
}

/** Applies I − 2vvᵀ/vᵀv to rows from..from+|v| of the row-major matrix `m` (`cols` columns), columns ≥ `col0`. */
function reflect(m: Float64Array, v: Float64Array, from: number, cols: number, col0: number): void {
  let vv = 0;
  for (const x of v) vv += x * x;
  if (vv === 0) return; // the column is already zero below the diagonal
  for (let c = col0; c < cols; c++) {
    let dot = 0;
    for (let i = 0; i < v.length; i++) dot += v[i] * m[(from + i) * cols + c];
    const f = (2 * dot) / vv;
    for (let i = 0; i < v.length; i++) m[(from + i) * cols + c] -= f * v[i];
  }
}
