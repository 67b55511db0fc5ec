/**
 * The IR: immutable, interned nodes `{op, shape, src, arg}`. One instance per
 * structure, so common subexpressions are shared for free and printed IR is
 * stable for golden tests.
 * @module
 */
import { type BinaryOp, binaryOps, type UnaryOp, unaryOps } from "../tensor/ops.ts";
import type { Shape } from "../tensor/shape.ts";

/**
 * Elementwise unary ops that exist only in the IR: they appear in
 * gradients, never in models. `step(x)` is 1 where x ≥ 0, else 0.
 */
const irUnaryOps = ["sign", "step", "tetragamma"] as const;

/** Ops without sources: constants, θ's slices, data, and the inputs of a scan body. */
export type LeafOp = "const" | "param" | "data" | "placeholder";

/** Unary elementwise ops (models' and IR-only). */
export type ElementwiseUnary = UnaryOp | (typeof irUnaryOps)[number];

/** Ops that move, reduce or combine elements (sumTo and scatterAdd appear in gradients only). */
export type StructuralOp =
  | "broadcast"
  | "sumTo"
  | "reshape"
  | "sum"
  | "logSumExp"
  | "gather"
  | "scatterAdd"
  | "concat"
  | "transpose"
  | "matmul"
  | "cholesky"
  | "triSolve"
  | "cumsum"
  | "scan"
  | "scanResult";

/** Every IR op: the primitives of `tensor/ops.ts`, and the IR's own. */
export type Op = LeafOp | ElementwiseUnary | BinaryOp | StructuralOp;

/** Per-op payload. */
export interface ArgOf {
  const: { readonly values: Float64Array };
  /** A slice `[offset, offset + size)` of the unconstrained parameter vector θ. */
  param: { readonly offset: number; readonly site: string };
  /** Data array number `index`, whose current values are kept for build-time checks. */
  data: { readonly index: number; readonly name: string; readonly values: Float64Array };
  sum: { readonly axis: number | null };
  logSumExp: { readonly axis: number | null };
  gather: { readonly indices: Int32Array };
  scatterAdd: { readonly indices: Int32Array; readonly length: number };
  triSolve: { readonly transpose: boolean };
  /** A loop-body input of a scan (a carried value or a sequence's slice). */
  placeholder: { readonly unique: number };
  scan: ScanArg;
  /** Result `index` of a scan: final carries, then stacked outputs, then carry histories. */
  scanResult: { readonly index: number };
}

/**
 * A loop over the first axis: `src` holds the initial carries, the sequences,
 * then the free values the body reads from outside. The body is IR over the
 * placeholders and the free values.
 */
export interface ScanArg {
  readonly length: number;
  readonly carry: readonly Node<"placeholder">[];
  readonly slices: readonly Node<"placeholder">[];
  readonly nextCarry: readonly Node[];
  readonly outputs: readonly Node[];
  /** Number of free values at the end of `src`. */
  readonly free: number;
}

/** The payload of an op (undefined for ops without one). */
export type Arg<K extends Op> = K extends keyof ArgOf ? ArgOf[K] : undefined;

/** An IR node. Never construct directly: use {@link Graph}. */
export interface Node<K extends Op = Op> {
  readonly id: number;
  readonly op: K;
  readonly shape: Shape;
  readonly src: readonly Node[];
  readonly arg: Arg<K>;
}

const unarySet = new Set<string>([...unaryOps, ...irUnaryOps]);
const binarySet = new Set<string>(binaryOps);

/** Whether an op is elementwise unary. */
export function isUnary(op: Op): op is ElementwiseUnary {
  return unarySet.has(op);
}

/** Whether an op is elementwise binary. */
export function isBinary(op: Op): op is BinaryOp {
  return binarySet.has(op);
}

/** Whether a node is a scalar (shape []). */
export const isScalar = (n: Node): boolean => n.shape.length === 0;
