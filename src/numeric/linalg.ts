/**
 * Linear-algebra primitives of the numeric interpreter with their
 * forward-mode rules, written in terms of the same dense kernels as the
 * values (a tangent rule is a few kernel calls, never a second loop).
 * @module
 */
import { bilinear, type NumTensor, numTensor, tangentOf } from "./tensor.ts";
import { choleskyArray, lowerTriangle, matmulArrays, triSolveArrays } from "./dense.ts";
import { transposeArray } from "./structural.ts";

/**
 * Matrix product of `[m,k]·[k,n]`, `[m,k]·[k]`, `[k]·[k,n]` or `[k]·[k]`
 * (results `[m,n]`, `[m]`, `[n]`, `[]`): a vector on the left is a 1×k row,
 * on the right a k×1 column, and those unit axes are dropped.
 */
export function matmul(a: NumTensor, b: NumTensor): NumTensor {
  const m = a.shape.length === 2 ? a.shape[0] : 1;
  const k = a.shape[a.shape.length - 1];
  const n = b.shape.length === 2 ? b.shape[1] : 1;
  const shape = [...(a.shape.length === 2 ? [m] : []), ...(b.shape.length === 2 ? [n] : [])];
  return bilinear(a, b, shape, (x, y) => matmulArrays(x, y, m, k, n));
}

/**
 * Lower Cholesky factor; all NaN if the matrix is not positive definite.
 * Only the lower triangle of the value is read. The tangent is the standard
 * rule dL = L·Φ(L⁻¹ dA L⁻ᵀ), Φ keeping the lower triangle with the diagonal
 * halved; it is exact for symmetric dA and is applied to dA as given (the
 * rule the reverse-mode adjoint in autodiff/vjp.ts transposes).
 */
export function cholesky(a: NumTensor): NumTensor {
  const n = a.shape[0];
  const l = choleskyArray(a.v, n);
  if (a.d === null) return numTensor(l, a.shape);
  // M = L⁻¹ dA L⁻ᵀ as two solves: X = L⁻¹ dA, then M = (L⁻¹ Xᵀ)ᵀ.
  const x = triSolveArrays(l, a.d, n, n, false);
  const mt = triSolveArrays(l, transposeArray(x, n, n), n, n, false);
  const phi = lowerTriangle(transposeArray(mt, n, n), n, 0.5);
  return numTensor(l, a.shape, matmulArrays(l, phi, n, n, n));
}

/**
 * Solves L x = b (or Lᵀ x = b) for lower-triangular L (upper triangle
 * ignored) and a vector or matrix b. Tangent: dx = L⁻¹(db − dL x), or
 * L⁻ᵀ(db − dLᵀ x), with only the lower triangle of dL, as in the value.
 */
export function triSolve(l: NumTensor, b: NumTensor, transpose: boolean): NumTensor {
  const n = l.shape[0];
  const cols = b.shape.length === 2 ? b.shape[1] : 1;
  const solve = (rhs: Float64Array) => triSolveArrays(l.v, rhs, n, cols, transpose);
  const x = solve(b.v);
  if (l.d === null && b.d === null) return numTensor(x, b.shape);
  const rhs = Float64Array.from(tangentOf(b));
  if (l.d !== null) {
    const dl = lowerTriangle(l.d, n);
    const dlx = matmulArrays(transpose ? transposeArray(dl, n, n) : dl, x, n, n, cols);
    for (let i = 0; i < rhs.length; i++) rhs[i] -= dlx[i];
  }
  return numTensor(x, b.shape, solve(rhs));
}
