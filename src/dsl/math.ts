/**
 * The user-facing algebra of arithmetic, built once over any interpreter's
 * {@link TensorOps}: lifts plain numbers to constants, checks and applies
 * broadcasting, and derives the composite operations (log-softmax, dot,
 * diagonal, log-determinant, the exponentiated-quadratic kernel, …).
 * @module
 */
import { ShapeError } from "../errors.ts";
import type { BinaryOp, TensorOps, UnaryOp } from "../tensor/ops.ts";
import { broadcastShapes, sameShape, type Shape, showShape, sizeOf } from "../tensor/shape.ts";
import type { Broadcast, Operand, Rank, RankOf, RankOfShape, Tensor } from "./tensor.ts";
import type { Numeric } from "../tensor/shape.ts";

/** The rank of a matrix product: 2·2 → 2, 2·1 and 1·2 → 1, 1·1 → 0. */
export type MatmulRank<A, B> = A extends 2
  ? B extends 2
    ? 2
    : B extends 1
      ? 1
      : Rank
  : A extends 1
    ? B extends 2
      ? 1
      : B extends 1
        ? 0
        : Rank
    : Rank;

/** A unary elementwise function: keeps the rank of its operand. */
export type UnaryFn = <A extends Operand>(a: A) => Tensor<RankOf<A> & Rank>;
/** A binary elementwise function: broadcasts its operands. */
export type BinaryFn = <A extends Operand, B extends Operand>(a: A, b: B) => Tensor<Broadcast<A, B>>;

/** The result of {@link MathAlg.scan}. */
export interface ScanResult {
  /** The carried values after the last step. */
  carry: Tensor[];
  /** Each step's outputs, stacked along a new first axis. */
  outputs: Tensor[];
}

/**
 * Arithmetic, reductions and linear algebra over tensors, the same for every
 * interpreter. Operands may be tensors or plain numbers; shapes broadcast as
 * in NumPy; indices are 0-based.
 */
export interface MathAlg {
  /** A constant tensor from plain numbers. */
  constant<T extends Numeric>(x: T): Tensor<RankOf<T> & Rank>;
  /** A tensor of `shape` filled with `value`. */
  fill<const S extends readonly number[]>(value: number, shape: S): Tensor<RankOfShape<S>>;
  /** The static shape of an operand. */
  shapeOf(x: Operand): Shape;

  add: BinaryFn;
  sub: BinaryFn;
  mul: BinaryFn;
  div: BinaryFn;
  pow: BinaryFn;
  /** Elementwise maximum. */
  max: BinaryFn;
  /** Elementwise minimum. */
  min: BinaryFn;

  neg: UnaryFn;
  exp: UnaryFn;
  log: UnaryFn;
  log1p: UnaryFn;
  expm1: UnaryFn;
  sqrt: UnaryFn;
  abs: UnaryFn;
  tanh: UnaryFn;
  sin: UnaryFn;
  cos: UnaryFn;
  erf: UnaryFn;
  /** log Γ(x). */
  lgamma: UnaryFn;
  /** ψ(x) = d/dx log Γ(x). */
  digamma: UnaryFn;
  /** x². */
  square: UnaryFn;
  /** The logistic function 1 / (1 + e^−x) (Stan's inv_logit). */
  invLogit: UnaryFn;
  /** log(p / (1 − p)). */
  logit: UnaryFn;
  /** log(1 + e^x), computed stably (Stan's log1p_exp). */
  log1pExp: UnaryFn;
  /** log inv_logit(x) = −log1p_exp(−x). */
  logInvLogit: UnaryFn;
  /** log(1 − inv_logit(x)) = −log1p_exp(x). */
  log1mInvLogit: UnaryFn;

  /** Sum of all elements, or along `axis` (which is removed). */
  sum(x: Operand): Tensor<0>;
  sum(x: Operand, axis: number): Tensor;
  /** Mean of all elements. */
  mean(x: Operand): Tensor<0>;
  /** log Σ exp of all elements, or along `axis`, computed stably. */
  logSumExp(x: Operand): Tensor<0>;
  logSumExp(x: Operand, axis: number): Tensor;
  /** x − logSumExp(x) of a vector. */
  logSoftmax(x: Tensor<1> | readonly number[]): Tensor<1>;
  /** Inner product of two vectors. */
  dot(a: Operand, b: Operand): Tensor<0>;
  /** Matrix product (matrix·matrix, matrix·vector, vector·matrix, vector·vector). */
  matmul<A extends Operand, B extends Operand>(a: A, b: B): Tensor<MatmulRank<RankOf<A>, RankOf<B>>>;
  /** Matrix transpose. */
  transpose(x: Tensor<2> | readonly (readonly number[])[]): Tensor<2>;
  /** Same elements, new shape. */
  reshape<const S extends readonly number[]>(x: Operand, shape: S): Tensor<RankOfShape<S>>;
  /** Broadcast to a shape. */
  broadcastTo<const S extends readonly number[]>(x: Operand, shape: S): Tensor<RankOfShape<S>>;
  /** Element `i` along the first axis (the rank drops by one). */
  at(x: Operand, i: number): Tensor;
  /** Rows `indices` along the first axis (the rank is kept). */
  gather<A extends Operand>(x: A, indices: readonly number[] | Int32Array): Tensor<RankOf<A> & Rank>;
  /** Rows `start` (inclusive) to `end` (exclusive) along the first axis. */
  slice<A extends Operand>(x: A, start: number, end?: number): Tensor<RankOf<A> & Rank>;
  /** Concatenation along the first axis. */
  concat<A extends Operand>(xs: readonly A[]): Tensor<RankOf<A> & Rank>;
  /** A vector from scalars. */
  stack(xs: readonly Operand[]): Tensor<1>;
  /** Cumulative sum along the first axis. */
  cumsum<A extends Operand>(x: A): Tensor<RankOf<A> & Rank>;
  /** Lower Cholesky factor of a symmetric positive-definite matrix. */
  cholesky(a: Tensor<2> | readonly (readonly number[])[]): Tensor<2>;
  /** Solves L x = b (or Lᵀ x = b) for lower-triangular L. */
  triSolve<B extends Operand>(l: Tensor<2>, b: B, opts?: { transpose?: boolean }): Tensor<RankOf<B> & Rank>;
  /** The diagonal of a square matrix. */
  diag(a: Tensor<2>): Tensor<1>;
  /** A + δ·I. */
  addDiag(a: Tensor<2>, delta: Operand): Tensor<2>;
  /** log det of a symmetric positive-definite matrix, through its Cholesky factor. */
  logDetSpd(a: Tensor<2>): Tensor<0>;
  /**
   * The exponentiated-quadratic covariance (Stan's cov_exp_quad /
   * gp_exp_quad_cov) of points `x` (a vector of scalars, or a matrix with one
   * point per row): K[i][j] = α² exp(−‖xᵢ − xⱼ‖² / (2ρ²)).
   */
  expQuadCov(x: Operand, alpha: Operand, rho: Operand): Tensor<2>;
  /**
   * A recursion over the first axis of `sequences` (AR, GARCH and HMM
   * filters): `body(carry, slices)` returns the next carry and the step's
   * outputs. Values from outside the body may be used freely.
   */
  scan(
    body: (carry: Tensor[], slices: Tensor[]) => { carry: readonly Tensor[]; outputs: readonly Tensor[] },
    init: readonly Operand[],
    sequences: readonly Operand[],
    length?: number,
  ): ScanResult;
}

/** Where shape errors are reported: the site being built, if any. */
export interface SiteContext {
  /** The name of the site under construction, or the last one built. */
  site(): string | undefined;
}

/**
 * Reads a nested number array of any rank into row-major values and a
 * shape (the first element at each depth gives the shape). Anything else —
 * a ragged array, an element that is not a number — is a ShapeError naming
 * the site and the element's index.
 *
 * @example
 * ```ts
 * numericToArray([[1, 2], [3, 4]]); // { values: Float64Array [1, 2, 3, 4], shape: [2, 2] }
 * numericToArray(JSON.parse("[[[1, 2]], [[3, 4]]]")); // any rank: shape [2, 1, 2]
 * ```
 */
export function numericToArray(x: Numeric, site?: string): { values: Float64Array; shape: Shape } {
  const shape: number[] = [];
  for (let a: unknown = x; Array.isArray(a); a = a[0]) {
    shape.push(a.length);
    if (a.length === 0) break;
  }
  const values = new Float64Array(sizeOf(shape));
  let k = 0;
  const read = (a: unknown, depth: number, index: string): void => {
    if (depth === shape.length) {
      if (typeof a !== "number")
        throw new ShapeError(site, `${index === "" ? "the value" : `element ${index}`} is ${typeName(a)}, not a number`);
      values[k++] = a;
      return;
    }
    if (!Array.isArray(a) || a.length !== shape[depth]) {
      const what = Array.isArray(a) ? `has length ${a.length}` : `is ${typeName(a)}`;
      throw new ShapeError(site, `ragged array: element ${index} ${what} where ${"[0]".repeat(depth)} has length ${shape[depth]}`);
    }
    for (let i = 0; i < a.length; i++) read(a[i], depth + 1, `${index}[${i}]`);
  };
  read(x, 0, "");
  return { values, shape };
}

/** What a value is, for an error message. */
function typeName(a: unknown): string {
  if (a === null || a === undefined) return String(a);
  if (Array.isArray(a)) return "an array";
  if (typeof a === "object") return "an object";
  if (typeof a === "string") return `the string ${JSON.stringify(a).slice(0, 40)}`;
  return `the ${typeof a} ${String(a)}`;
}

/** Builds the user-facing algebra over primitive operations. */
export function makeMath<V>(ops: TensorOps<V>, ctx: SiteContext): MathAlg {
  const v = (x: Operand): V => {
    if (typeof x === "number" || Array.isArray(x)) {
      const { values, shape } = numericToArray(x as Numeric, ctx.site());
      return ops.constant(values, shape);
    }
    return x as unknown as V;
  };
  const t = <R extends Rank = Rank>(x: V): Tensor<R> => x as unknown as Tensor<R>;
  const shapeOf = (x: Operand): Shape => ops.shape(v(x));
  const fail = (message: string): never => {
    throw new ShapeError(ctx.site(), message);
  };
  const fit = (x: V, shape: Shape): V => (sameShape(ops.shape(x), shape) ? x : ops.broadcast(x, shape));
  const binary = (op: BinaryOp): BinaryFn =>
    ((a: Operand, b: Operand) => {
      const x = v(a);
      const y = v(b);
      const shape = broadcastShapes([ops.shape(x), ops.shape(y)], ctx.site(), `operands of ${op}`);
      return t(ops.binary(op, fit(x, shape), fit(y, shape)));
    }) as BinaryFn;
  const unary = (op: UnaryOp): UnaryFn => ((a: Operand) => t(ops.unary(op, v(a)))) as UnaryFn;
  const checkAxis = (x: V, axis: number | undefined): number | null => {
    if (axis === undefined) return null;
    const rank = ops.shape(x).length;
    if (!Number.isInteger(axis) || axis < 0 || axis >= rank) fail(`axis ${axis} out of range for shape ${showShape(ops.shape(x))}`);
    return axis;
  };
  const gatherRows = (x: V, indices: readonly number[] | Int32Array): V => {
    const shape = ops.shape(x);
    if (shape.length === 0) fail("cannot index a scalar");
    for (const i of indices) {
      if (!Number.isInteger(i) || i < 0 || i >= shape[0]) fail(`index ${i} out of range for length ${shape[0]}`);
    }
    return ops.gather(x, Int32Array.from(indices));
  };
  const reshape = (x: V, shape: Shape): V => {
    if (sizeOf(shape) !== sizeOf(ops.shape(x))) fail(`cannot reshape ${showShape(ops.shape(x))} to ${showShape(shape)}`);
    return sameShape(ops.shape(x), shape) ? x : ops.reshape(x, shape);
  };
  const square = (a: Operand): Tensor => {
    const x = v(a);
    return t(ops.binary("mul", x, x));
  };
  const requireSquare = (a: V, what: string): number => {
    const s = ops.shape(a);
    if (s.length !== 2 || s[0] !== s[1]) fail(`${what} needs a square matrix, got ${showShape(s)}`);
    return s[0];
  };
  const matmul = (a: Operand, b: Operand): Tensor<never> => {
    const x = v(a);
    const y = v(b);
    const sa = ops.shape(x);
    const sb = ops.shape(y);
    const ok = sa.length >= 1 && sa.length <= 2 && sb.length >= 1 && sb.length <= 2 && sa[sa.length - 1] === sb[0];
    if (!ok) fail(`matmul of ${showShape(sa)} and ${showShape(sb)}: inner dimensions differ`);
    return t(ops.matmul(x, y));
  };
  const diag = (a: Tensor<2>): Tensor<1> => {
    const x = v(a);
    const n = requireSquare(x, "diag");
    return t(
      ops.gather(
        ops.reshape(x, [n * n]),
        Int32Array.from({ length: n }, (_, i) => i * (n + 1)),
      ),
    );
  };
  const cholesky = (a: Operand): Tensor<2> => {
    const x = v(a);
    requireSquare(x, "cholesky");
    return t(ops.cholesky(x));
  };
  const sum = (x: Operand, axis?: number): Tensor => t(ops.sum(v(x), checkAxis(v(x), axis)));
  const logSumExp = (x: Operand, axis?: number): Tensor => {
    const y = v(x);
    if (sizeOf(ops.shape(y)) === 0) fail("logSumExp of an empty tensor");
    return t(ops.logSumExp(y, checkAxis(y, axis)));
  };

  const m: MathAlg = {
    constant: ((x: Numeric) => t(v(x))) as MathAlg["constant"],
    fill: ((value: number, shape: Shape) => t(ops.constant(new Float64Array(sizeOf(shape)).fill(value), shape))) as MathAlg["fill"],
    shapeOf,
    add: binary("add"),
    sub: binary("sub"),
    mul: binary("mul"),
    div: binary("div"),
    pow: binary("pow"),
    max: binary("max"),
    min: binary("min"),
    neg: unary("neg"),
    exp: unary("exp"),
    log: unary("log"),
    log1p: unary("log1p"),
    expm1: unary("expm1"),
    sqrt: unary("sqrt"),
    abs: unary("abs"),
    tanh: unary("tanh"),
    sin: unary("sin"),
    cos: unary("cos"),
    erf: unary("erf"),
    lgamma: unary("lgamma"),
    digamma: unary("digamma"),
    square: square as UnaryFn,
    invLogit: unary("sigmoid"),
    logit: ((p: Operand) => t(ops.binary("sub", ops.unary("log", v(p)), ops.unary("log1p", ops.unary("neg", v(p)))))) as UnaryFn,
    log1pExp: unary("softplus"),
    logInvLogit: ((x: Operand) => t(ops.unary("neg", ops.unary("softplus", ops.unary("neg", v(x)))))) as UnaryFn,
    log1mInvLogit: ((x: Operand) => t(ops.unary("neg", ops.unary("softplus", v(x))))) as UnaryFn,
    sum: sum as MathAlg["sum"],
    mean: (x) => {
      const y = v(x);
      return t(ops.binary("div", ops.sum(y, null), ops.constant(Float64Array.of(sizeOf(ops.shape(y))), [])));
    },
    logSumExp: logSumExp as MathAlg["logSumExp"],
    logSoftmax: (x) => {
      const y = v(x);
      if (ops.shape(y).length !== 1) fail(`logSoftmax needs a vector, got ${showShape(ops.shape(y))}`);
      return t(ops.binary("sub", y, ops.broadcast(ops.logSumExp(y, null), ops.shape(y))));
    },
    dot: (a, b) => {
      const x = v(a);
      const y = v(b);
      if (ops.shape(x).length !== 1 || !sameShape(ops.shape(x), ops.shape(y))) {
        fail(`dot needs two vectors of one length, got ${showShape(ops.shape(x))} and ${showShape(ops.shape(y))}`);
      }
      return t(ops.matmul(x, y));
    },
    matmul,
    transpose: (x) => {
      const y = v(x);
      if (ops.shape(y).length !== 2) fail(`transpose needs a matrix, got ${showShape(ops.shape(y))}`);
      return t(ops.transpose(y));
    },
    reshape: ((x: Operand, shape: Shape) => t(reshape(v(x), shape))) as MathAlg["reshape"],
    broadcastTo: ((x: Operand, shape: Shape) => {
      const y = v(x);
      broadcastShapes([ops.shape(y), shape], ctx.site(), "broadcastTo");
      if (broadcastShapes([ops.shape(y), shape]).some((d, i) => d !== shape[i]) || ops.shape(y).length > shape.length) {
        fail(`cannot broadcast ${showShape(ops.shape(y))} to ${showShape(shape)}`);
      }
      return t(fit(y, shape));
    }) as MathAlg["broadcastTo"],
    at: (x, i) => {
      const y = v(x);
      return t(ops.reshape(gatherRows(y, [i]), ops.shape(y).slice(1)));
    },
    gather: ((x: Operand, indices: readonly number[] | Int32Array) => t(gatherRows(v(x), indices))) as MathAlg["gather"],
    slice: ((x: Operand, start: number, end?: number) => {
      const y = v(x);
      const n = ops.shape(y)[0] ?? fail("cannot slice a scalar");
      const stop = end ?? n;
      if (!(Number.isInteger(start) && Number.isInteger(stop) && 0 <= start && start <= stop && stop <= n)) {
        fail(`slice [${start}, ${stop}) out of range for length ${n}`);
      }
      return t(
        gatherRows(
          y,
          Int32Array.from({ length: stop - start }, (_, k) => start + k),
        ),
      );
    }) as MathAlg["slice"],
    concat: ((xs: readonly Operand[]) => {
      const ys = xs.map(v);
      if (ys.length === 0) fail("concat of nothing");
      const rest = ops.shape(ys[0]).slice(1);
      for (const y of ys) {
        const s = ops.shape(y);
        if (s.length === 0 || !sameShape(s.slice(1), rest)) fail(`concat of shapes ${ys.map((z) => showShape(ops.shape(z))).join(", ")}`);
      }
      return t(ys.length === 1 ? ys[0] : ops.concat(ys));
    }) as MathAlg["concat"],
    stack: (xs) => {
      const ys = xs.map(v);
      for (const y of ys) if (ops.shape(y).length !== 0) fail(`stack takes scalars, got ${showShape(ops.shape(y))}`);
      const rows = ys.map((y) => ops.reshape(y, [1]));
      return t(rows.length === 1 ? rows[0] : ops.concat(rows));
    },
    cumsum: ((x: Operand) => {
      const y = v(x);
      if (ops.shape(y).length === 0) fail("cumsum of a scalar");
      return t(ops.cumsum(y));
    }) as MathAlg["cumsum"],
    cholesky,
    triSolve: ((l: Tensor<2>, b: Operand, opts?: { transpose?: boolean }) => {
      const x = v(l);
      const y = v(b);
      const n = requireSquare(x, "triSolve");
      const sb = ops.shape(y);
      if (sb.length < 1 || sb.length > 2 || sb[0] !== n) fail(`triSolve of ${showShape(ops.shape(x))} with ${showShape(sb)}`);
      return t(ops.triSolve(x, y, opts?.transpose ?? false));
    }) as MathAlg["triSolve"],
    diag,
    addDiag: (a, delta) => {
      const x = v(a);
      const n = requireSquare(x, "addDiag");
      const eye = new Float64Array(n * n);
      for (let i = 0; i < n; i++) eye[i * (n + 1)] = 1;
      const d = v(delta);
      if (ops.shape(d).length !== 0) fail("addDiag takes a scalar δ");
      return t(ops.binary("add", x, ops.binary("mul", ops.constant(eye, [n, n]), ops.broadcast(d, [n, n]))));
    },
    logDetSpd: (a) => {
      const l = v(cholesky(a));
      const n = ops.shape(l)[0];
      const d = ops.gather(
        ops.reshape(l, [n * n]),
        Int32Array.from({ length: n }, (_, i) => i * (n + 1)),
      );
      return t(ops.binary("mul", ops.constant(Float64Array.of(2), []), ops.sum(ops.unary("log", d), null)));
    },
    expQuadCov: (x, alpha, rho) => {
      let pts = v(x);
      const s = ops.shape(pts);
      if (s.length === 1) pts = ops.reshape(pts, [s[0], 1]);
      else if (s.length !== 2) fail(`expQuadCov needs a vector or a matrix of points, got ${showShape(s)}`);
      const [n, p] = ops.shape(pts);
      const a = ops.broadcast(ops.reshape(pts, [n, 1, p]), [n, n, p]);
      const b = ops.broadcast(ops.reshape(pts, [1, n, p]), [n, n, p]);
      const diff = ops.binary("sub", a, b);
      const d2 = ops.sum(ops.binary("mul", diff, diff), 2);
      const rhoV = v(rho);
      const alphaV = v(alpha);
      if (ops.shape(rhoV).length !== 0 || ops.shape(alphaV).length !== 0) fail("expQuadCov takes scalar alpha and rho");
      const twoRho2 = ops.binary("mul", ops.constant(Float64Array.of(2), []), ops.binary("mul", rhoV, rhoV));
      const k = ops.unary("exp", ops.unary("neg", ops.binary("div", d2, ops.broadcast(twoRho2, [n, n]))));
      return t(ops.binary("mul", ops.broadcast(ops.binary("mul", alphaV, alphaV), [n, n]), k));
    },
    scan: (body, init, sequences, length) => {
      const inits = init.map(v);
      const seqs = sequences.map(v);
      const n = length ?? (seqs.length > 0 ? ops.shape(seqs[0])[0] : fail("scan needs sequences or a length"));
      for (const s of seqs) if (ops.shape(s)[0] !== n) fail(`scan sequences must all have length ${n}, got ${showShape(ops.shape(s))}`);
      const wrapped = (carry: readonly V[], slices: readonly V[]) => {
        const out = body(
          carry.map((c) => t(c)),
          slices.map((c) => t(c)),
        );
        const next = out.carry.map(v);
        if (next.length !== carry.length) fail(`scan body returned ${next.length} carried values, expected ${carry.length}`);
        next.forEach((c, i) => {
          if (!sameShape(ops.shape(c), ops.shape(carry[i]))) {
            fail(`scan carry ${i} changes shape from ${showShape(ops.shape(carry[i]))} to ${showShape(ops.shape(c))}`);
          }
        });
        return { carry: next, outputs: out.outputs.map(v) };
      };
      const r = ops.scan(wrapped, inits, seqs, n);
      return { carry: r.carry.map((c) => t(c)), outputs: r.outputs.map((c) => t(c)) };
    },
  };
  return m;
}
