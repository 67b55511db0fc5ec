/**
 * IR → ONNX: one lowering rule per IR op, in a table whose type makes a
 * missing rule a compile error. Values that depend on θ carry a leading
 * batch axis (see batched.ts); rules use negative axes wherever they can,
 * so most of them need not know whether their inputs are batched.
 * @module
 */
import type { Shape } from "../../tensor/shape.ts";
import type { Arg, ElementwiseUnary, Node, Op } from "../../ir/node.ts";
import * as composite from "../../special/composite/index.ts";
import type { BinaryOp } from "../../tensor/ops.ts";
import { onnxArith } from "./arith.ts";
import type { Batchedness } from "./batched.ts";
import type { GraphBuilder } from "./builder.ts";
import { cholesky, triSolve } from "./linalg.ts";

/** An ONNX value standing for an IR node: its name, and whether it has the batch axis. */
export interface Val {
  readonly name: string;
  readonly batched: boolean;
}

/** What a rule can ask of the lowering in progress. */
export interface LowerContext {
  readonly b: GraphBuilder;
  readonly batched: Batchedness;
  /** The ONNX value of an already lowered node. */
  value(n: Node): Val;
  /** `v` with the batch axis (expanded if it has none), for a value of IR shape `shape`. */
  batchify(v: Val, shape: Shape): string;
  /** Lowers a scan, returning its results in scanResult order. */
  scan(n: Node<"scan">): Val[];
  /** The results of a lowered scan. */
  scanResults(n: Node<"scan">): readonly Val[];
  /** The ONNX name of data leaf `index`. */
  data(n: Node<"data">): string;
  /** θ, `[B, dim]`. */
  readonly theta: string;
}

type Rule<K extends Op> = (n: Node<K>, ctx: LowerContext) => Val;

/** An int64 axes tensor for IR axes of a rank-`r` value, made negative. */
const axes = (ctx: LowerContext, ks: readonly number[], r: number) => ctx.b.ints(ks.map((k) => k - r));

const src = (n: Node, ctx: LowerContext, k = 0) => ctx.value(n.src[k]);
const anyBatched = (n: Node, ctx: LowerContext) => n.src.some((s) => ctx.value(s).batched);
const out = (name: string, batched: boolean): Val => ({ name, batched });

const onnxUnary: Partial<Record<ElementwiseUnary, string>> = {
  neg: "Neg",
  exp: "Exp",
  log: "Log",
  sqrt: "Sqrt",
  abs: "Abs",
  tanh: "Tanh",
  sin: "Sin",
  cos: "Cos",
  sign: "Sign",
};

/** Unary ops ONNX lacks (or lacks in float64), composed from basic ops. */
const compositeUnary: Partial<Record<ElementwiseUnary, <T, C>(A: composite.Arith<T, C>, x: T) => T>> = {
  log1p: composite.log1p,
  expm1: composite.expm1,
  sigmoid: composite.sigmoid,
  softplus: composite.softplus,
  erf: composite.erf,
  lgamma: composite.lgamma,
  digamma: composite.digamma,
  trigamma: composite.trigamma,
  tetragamma: composite.tetragamma,
};

const unary: Rule<ElementwiseUnary> = (n, ctx) => {
  const x = src(n, ctx);
  const { b } = ctx;
  const direct = onnxUnary[n.op];
  if (direct !== undefined) return out(b.un(direct, x.name), x.batched);
  if (n.op === "step") {
    // 1 where x ≥ 0, else 0 (0 at NaN, as in JavaScript).
    const zero = b.scalar(0);
    const ge = b.op("Or", [b.op("Greater", [x.name, zero]), b.op("Equal", [x.name, zero])]);
    return out(b.where(ge, b.scalar(1), zero), x.batched);
  }
  const f = compositeUnary[n.op];
  if (f === undefined) throw new Error(`ONNX lowering: no rule for ${n.op}`);
  return out(f(onnxArith(b), x.name), x.batched);
};

const onnxBinary: Record<BinaryOp, string> = { add: "Add", sub: "Sub", mul: "Mul", div: "Div", pow: "Pow", max: "Max", min: "Min" };

const binary: Rule<BinaryOp> = (n, ctx) => out(ctx.b.op(onnxBinary[n.op], [src(n, ctx, 0).name, src(n, ctx, 1).name]), anyBatched(n, ctx));

/**
 * IR matmul (a's last axis against b's first; ranks 1 or 2) as ONNX MatMul,
 * whose NumPy semantics broadcast the batch axis; where a batched vector
 * would be read as a matrix, it is transposed into place or given a unit axis.
 */
function matmul(b: GraphBuilder, a: Val, c: Val, ra: number, rc: number): string {
  const mm = (x: string, y: string) => b.op("MatMul", [x, y]);
  const unsqueeze = (x: string, axis: number) => b.op("Unsqueeze", [x, b.ints([axis])]);
  const squeeze = (x: string, axis: number) => b.op("Squeeze", [x, b.ints([axis])]);
  if (ra === 2 && rc === 2) return mm(a.name, c.name);
  if (ra === 2 && rc === 1) {
    if (!c.batched) return mm(a.name, c.name);
    if (!a.batched) return mm(c.name, b.op("Transpose", [a.name], { perm: [1, 0] }));
    return squeeze(mm(a.name, unsqueeze(c.name, -1)), -1);
  }
  if (ra === 1 && rc === 2) {
    if (a.batched && c.batched) return squeeze(mm(unsqueeze(a.name, -2), c.name), -2);
    return mm(a.name, c.name);
  }
  if (a.batched && c.batched) return b.op("ReduceSum", [b.mul(a.name, c.name), b.ints([-1])], { keepdims: 0 });
  return c.batched ? mm(c.name, a.name) : mm(a.name, c.name);
}

/** The first index when `indices` are consecutive (i, i + 1, …), else undefined. */
function contiguousFrom(indices: Int32Array): number | undefined {
  return indices.length > 0 && indices.every((v, i) => v === indices[0] + i) ? indices[0] : undefined;
}

/** The lowering rule of every IR op. */
export const onnxRules: { readonly [K in Op]: Rule<K> } = {
  const: (n, { b }) => out(b.constant(n.arg.values, n.shape), false),
  param: (n, ctx) =>
    out(ctx.b.op("Slice", [ctx.theta, ctx.b.ints([n.arg.offset]), ctx.b.ints([n.arg.offset + n.shape[0]]), ctx.b.ints([1])]), true),
  data: (n, ctx) => out(ctx.data(n), false),
  neg: unary,
  exp: unary,
  log: unary,
  log1p: unary,
  expm1: unary,
  sqrt: unary,
  abs: unary,
  sigmoid: unary,
  softplus: unary,
  tanh: unary,
  sin: unary,
  cos: unary,
  erf: unary,
  lgamma: unary,
  digamma: unary,
  trigamma: unary,
  sign: unary,
  step: unary,
  tetragamma: unary,
  add: binary,
  sub: binary,
  mul: binary,
  div: binary,
  pow: binary,
  max: binary,
  min: binary,
  broadcast: (n, ctx) => {
    const x = src(n, ctx);
    const extra = n.shape.length - n.src[0].shape.length;
    const first = x.batched ? 1 : 0;
    const padded = extra > 0 ? ctx.b.op("Unsqueeze", [x.name, ctx.b.ints(Array.from({ length: extra }, (_, k) => first + k))]) : x.name;
    return out(ctx.b.op("Expand", [padded, ctx.b.ints(n.shape)]), x.batched);
  },
  sumTo: (n, ctx) => {
    const x = src(n, ctx);
    const from = n.src[0].shape;
    const to = [...new Array<number>(from.length - n.shape.length).fill(0), ...n.shape];
    const reduced = from.map((_, k) => k).filter((k) => to[k] !== from[k] || k < from.length - n.shape.length);
    // (ReduceSum with no axes would reduce them all.)
    const summed = reduced.length === 0 ? x.name : ctx.b.op("ReduceSum", [x.name, axes(ctx, reduced, from.length)], { keepdims: 1 });
    return out(ctx.b.op("Reshape", [summed, ctx.b.ints(x.batched ? [-1, ...n.shape] : n.shape)]), x.batched);
  },
  reshape: (n, ctx) => {
    const x = src(n, ctx);
    return out(ctx.b.op("Reshape", [x.name, ctx.b.ints(x.batched ? [-1, ...n.shape] : n.shape)]), x.batched);
  },
  sum: (n, ctx) => {
    const x = src(n, ctx);
    const r = n.src[0].shape.length;
    const ks = n.arg.axis === null ? Array.from({ length: r }, (_, k) => k) : [n.arg.axis];
    if (ks.length === 0) return x;
    return out(ctx.b.op("ReduceSum", [x.name, axes(ctx, ks, r)], { keepdims: 0 }), x.batched);
  },
  logSumExp: (n, ctx) => {
    const x = src(n, ctx);
    const { b } = ctx;
    const r = n.src[0].shape.length;
    const ks = (n.arg.axis === null ? Array.from({ length: r }, (_, k) => k) : [n.arg.axis]).map((k) => k - r);
    if (ks.length === 0) return x;
    // Shift by the maximum (by 0 where it is infinite, so −∞ rows give −∞ and +∞ gives +∞).
    const finiteMax = (keep: number) => {
      const m = b.op("ReduceMax", [x.name], { axes: ks, keepdims: keep });
      return b.where(b.op("IsInf", [m]), b.scalar(0), m);
    };
    const s = b.op("ReduceSum", [b.un("Exp", b.sub(x.name, finiteMax(1))), b.ints(ks)], { keepdims: 0 });
    return out(b.add(b.un("Log", s), finiteMax(0)), x.batched);
  },
  gather: (n, ctx) => {
    const x = src(n, ctx);
    const { b } = ctx;
    const axis = -n.src[0].shape.length;
    const first = contiguousFrom(n.arg.indices);
    // A run of consecutive rows (a shifted slice, common in time series) is a Slice, cheaper than a Gather.
    if (first !== undefined)
      return out(b.op("Slice", [x.name, b.ints([first]), b.ints([first + n.arg.indices.length]), b.ints([axis])]), x.batched);
    return out(b.op("Gather", [x.name, b.ints(n.arg.indices)], { axis }), x.batched);
  },
  scatterAdd: (n, ctx) => {
    const x = src(n, ctx);
    const { b } = ctx;
    const { indices, length } = n.arg;
    const rows = n.src[0].shape[0];
    const r = n.shape.length;
    const first = contiguousFrom(indices);
    if (first !== undefined) {
      // Consecutive rows: zeros padded before and after (the transpose of a slice).
      const pads = new Array<number>(2 * (r + (x.batched ? 1 : 0))).fill(0);
      const lead = x.batched ? 1 : 0;
      pads[lead] = first;
      pads[lead + r + lead] = length - first - rows;
      return out(b.op("Pad", [x.name, b.ints(pads)]), x.batched);
    }
    // Rows added into place: x (rows on the last axis) times a one-hot [rows, length] matrix, one GEMM for the batch.
    const rest = n.shape.slice(1).reduce((a, d) => a * d, 1);
    const onehot = new Float64Array(rows * length);
    indices.forEach((t, i) => (onehot[i * length + t] += 1));
    const lead = x.batched ? [-1] : [];
    const swap = (v: string) => (rest === 1 ? v : b.op("Transpose", [v], { perm: x.batched ? [0, 2, 1] : [1, 0] }));
    const rowsLast = swap(b.op("Reshape", [x.name, b.ints(rest === 1 ? [...lead, rows] : [...lead, rows, rest])])); // [..., (rest,) rows]
    const back = swap(b.op("MatMul", [rowsLast, b.constant(onehot, [rows, length])])); // [..., length (, rest)]
    return out(b.op("Reshape", [back, b.ints([...lead, ...n.shape])]), x.batched);
  },
  concat: (n, ctx) => {
    const batched = anyBatched(n, ctx);
    const parts = n.src.map((s) => (batched ? ctx.batchify(ctx.value(s), s.shape) : ctx.value(s).name));
    return out(ctx.b.op("Concat", parts, { axis: -n.shape.length }), batched);
  },
  transpose: (n, ctx) => {
    const x = src(n, ctx);
    return out(ctx.b.op("Transpose", [x.name], { perm: x.batched ? [0, 2, 1] : [1, 0] }), x.batched);
  },
  matmul: (n, ctx) => {
    const [a, c] = [src(n, ctx, 0), src(n, ctx, 1)];
    return out(matmul(ctx.b, a, c, n.src[0].shape.length, n.src[1].shape.length), a.batched || c.batched);
  },
  cholesky: (n, ctx) => {
    const x = src(n, ctx);
    return out(cholesky(ctx.b, x.name, n.shape[0]), x.batched);
  },
  triSolve: (n, ctx) => {
    const [l, y] = [src(n, ctx, 0), src(n, ctx, 1)];
    const shape = n.src[0].shape;
    return out(triSolve(ctx.b, l.name, y.name, shape[0], n.arg.transpose, n.shape.length === 1), l.batched || y.batched);
  },
  cumsum: (n, ctx) => {
    const x = src(n, ctx);
    return out(ctx.b.op("CumSum", [x.name, ctx.b.ints([-n.shape.length], [])]), x.batched);
  },
  placeholder: (n) => {
    throw new Error(`ONNX lowering: placeholder ${n.id} outside its scan`);
  },
  scan: (n, ctx) => {
    ctx.scan(n);
    return out("", false);
  },
  scanResult: (n, ctx) => ctx.scanResults(n.src[0] as Node<"scan">)[(n.arg as Arg<"scanResult">).index],
};
