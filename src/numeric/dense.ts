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
    const rowOut = i * n;
    for (let q = 0; q < k; q++) {
      const aiq = a[i * k + q];
      const rowB = q * n;
      for (let j = 0; j < n; j++) out[rowOut + j] += aiq * b[rowB + j];
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
  // Row by row, each row of X updated whole (contiguous memory, where a column at a time strides by cols);
  // forward substitution for L, backward for Lᵀ, whose [i][j] is L[j][i]. Each element is reduced in
  // ascending j either way.
  for (let s = 0; s < n; s++) {
    const i = transpose ? n - 1 - s : s;
    const row = i * cols;
    const from = transpose ? i + 1 : 0;
    const to = transpose ? n : i;
    for (let j = from; j < to; j++) {
      const lij = transpose ? l[j * n + i] : l[i * n + j];
      const rowJ = j * cols;
      for (let c = 0; c < cols; c++) x[row + c] -= lij * x[rowJ + c];
    }
    const pivot = l[i * n + i];
    for (let c = 0; c < cols; c++) x[row + c] /= pivot;
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
