/**
 * Dense linear-algebra kernels on plain row-major arrays, shared by the
 * values and the tangent rules of linalg.ts so each loop exists
 * once. Only the lower triangle of a triangular or symmetric operand is read.
 * @module
 */

/** The product of an m×k and a k×n row-major matrix. */
export function matmulArrays(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let q = 0; q < k; q++) {
      const aiq = a[i * k + q];
      for (let j = 0; j < n; j++) out[i * n + j] += aiq * b[q * n + j];
    }
  }
  return out;
}

/** The lower triangle (diagonal included) of an n×n matrix, scaled on the diagonal by `diag`. */
export function lowerTriangle(a: Float64Array, n: number, diag = 1): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) out[i * n + j] = a[i * n + j];
    out[i * n + i] = diag * a[i * n + i];
  }
  return out;
}

/**
 * Solves L X = B (or Lᵀ X = B when `transpose`) by substitution, for
 * lower-triangular n×n `l` (upper triangle ignored) and n×cols `b`.
 */
export function triSolveArrays(l: Float64Array, b: Float64Array, n: number, cols: number, transpose: boolean): Float64Array {
  const x = Float64Array.from(b);
  // Lᵀ[i][j] = L[j][i]; forward substitution for L, backward for Lᵀ.
  const at = transpose ? (i: number, j: number) => l[j * n + i] : (i: number, j: number) => l[i * n + j];
  for (let c = 0; c < cols; c++) {
    for (let s = 0; s < n; s++) {
      const i = transpose ? n - 1 - s : s;
      let acc = x[i * cols + c];
      if (transpose) for (let j = i + 1; j < n; j++) acc -= at(i, j) * x[j * cols + c];
      else for (let j = 0; j < i; j++) acc -= at(i, j) * x[j * cols + c];
      x[i * cols + c] = acc / l[i * n + i];
    }
  }
  return x;
}

/**
 * The lower Cholesky factor of an n×n symmetric positive-definite matrix
 * (Cholesky–Banachiewicz, reading only the lower triangle). If a pivot is
 * not positive (the matrix is not positive definite, or holds NaN) the whole
 * factor is NaN, so densities built on it become NaN rather than throwing.
 */
export function choleskyArray(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let q = 0; q < j; q++) s -= l[i * n + q] * l[j * n + q];
      if (i === j) {
        if (!(s > 0)) return l.fill(NaN);
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j];
      }
    }
  }
  return l;
}

/** The inner product of two vectors of the same length. */
export function dotArrays(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
