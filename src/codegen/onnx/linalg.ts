/**
 * Cholesky factorization and triangular solves, which ONNX lacks, unrolled
 * into basic ops. Every value may carry leading batch axes: only negative
 * axes are used, so one graph serves batched and unbatched inputs.
 * Unrolling costs O(n) nodes for an n×n matrix; the models' matrices are
 * small (covariances of tens of points), where this beats an ONNX Loop.
 * @module
 */
import type { GraphBuilder } from "./builder.ts";

/** Column `j` of `[..., n, n]` → `[..., n]`. */
const column = (b: GraphBuilder, a: string, j: number) => b.op("Gather", [a, b.ints([j], [])], { axis: -1 });
/** Row `i` of `[..., n, m]` → `[..., m]`. */
const row = (b: GraphBuilder, a: string, i: number) => b.op("Gather", [a, b.ints([i], [])], { axis: -2 });
/** Element `i` of `[..., n]` → `[...]`. */
const element = (b: GraphBuilder, v: string, i: number) => b.op("Gather", [v, b.ints([i], [])], { axis: -1 });
/** Elements `[from, to)` of the last axis. */
const head = (b: GraphBuilder, v: string, from: number, to: number) => b.op("Slice", [v, b.ints([from]), b.ints([to]), b.ints([-1])]);
/** `m [..., n, j] @ v [..., j] → [..., n]`. */
const matVec = (b: GraphBuilder, m: string, v: string) =>
  b.op("Squeeze", [b.op("MatMul", [m, b.op("Unsqueeze", [v, b.ints([-1])])]), b.ints([-1])]);
/** Stacks vectors `[..., n]` as the columns of `[..., n, k]`. */
const stackColumns = (b: GraphBuilder, cols: readonly string[]) =>
  b.op(
    "Concat",
    cols.map((c) => b.op("Unsqueeze", [c, b.ints([-1])])),
    { axis: -1 },
  );

/**
 * The lower Cholesky factor of `[..., n, n]` (only the lower triangle is
 * read), column by column: c = A[:, j] − L[:, :j] L[j, :j], L[:, j] =
 * c / √c[j] below the diagonal and 0 above. A matrix that is not positive
 * definite gives NaN, as the JavaScript backend does.
 */
export function cholesky(b: GraphBuilder, a: string, n: number): string {
  const cols: string[] = [];
  for (let j = 0; j < n; j++) {
    let c = column(b, a, j);
    if (j > 0) {
      const left = stackColumns(b, cols);
      c = b.sub(c, matVec(b, left, row(b, left, j)));
    }
    const mask = Array.from({ length: n }, (_, i) => (i >= j ? 1 : 0));
    const pivot = b.un("Sqrt", element(b, c, j));
    cols.push(b.mul(b.div(c, b.op("Unsqueeze", [pivot, b.ints([-1])])), b.constant(mask, [n])));
  }
  return stackColumns(b, cols);
}

/**
 * Solves L x = y (or Lᵀ x = y when `transpose`) for lower-triangular
 * `l [..., n, n]` and `y [..., n]` or `[..., n, m]` (`vector` says which),
 * by substitution, one unknown (row of x) at a time.
 */
export function triSolve(b: GraphBuilder, l: string, y: string, n: number, transpose: boolean, vector: boolean): string {
  const y2 = vector ? b.op("Unsqueeze", [y, b.ints([-1])]) : y;
  const xs: string[] = new Array<string>(n);
  const order = Array.from({ length: n }, (_, k) => (transpose ? n - 1 - k : k));
  for (const i of order) {
    // Row i of the system: coefficients of the unknowns already solved.
    const rowOf = transpose ? column(b, l, i) : row(b, l, i); // [..., n]
    let rhs = row(b, y2, i); // [..., m]
    const done = transpose ? [i + 1, n] : [0, i];
    if (done[1] > done[0]) {
      const coef = head(b, rowOf, done[0], done[1]); // [..., k]
      const known = b.op(
        "Concat",
        xs.slice(done[0], done[1]).map((x) => b.op("Unsqueeze", [x, b.ints([-2])])),
        { axis: -2 },
      ); // [..., k, m]
      const dot = b.op("Squeeze", [b.op("MatMul", [b.op("Unsqueeze", [coef, b.ints([-2])]), known]), b.ints([-2])]);
      rhs = b.sub(rhs, dot);
    }
    xs[i] = b.div(rhs, b.op("Unsqueeze", [element(b, rowOf, i), b.ints([-1])]));
  }
  const x = b.op(
    "Concat",
    xs.map((v) => b.op("Unsqueeze", [v, b.ints([-2])])),
    { axis: -2 },
  );
  return vector ? b.op("Squeeze", [x, b.ints([-1])]) : x;
}
