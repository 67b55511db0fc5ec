/**
 * The IR verifier: every node's shape and payload agree with its op and
 * sources. Run in tests on every graph the compiler produces.
 * @module
 */
import { broadcastsTo, sameShape, type Shape, sizeOf } from "../tensor/shape.ts";
import type { BinaryOp } from "../tensor/ops.ts";
import { type ElementwiseUnary, isBinary, isUnary, type Node, type Op } from "./node.ts";
import { topoSort } from "./walk.ts";

/** A node's sources' shapes, and whether a shape is the node's own. */
interface Shapes {
  readonly s: readonly Shape[];
  is(shape: Shape): boolean;
}

/** What must hold of each op that is not elementwise, as a reason when it does not; a missing op is a compile error. */
const rules: { readonly [K in Exclude<Op, ElementwiseUnary | BinaryOp>]: (n: Node<K>, x: Shapes) => string | undefined } = {
  const: (n) => (n.arg.values.length === sizeOf(n.shape) ? undefined : "const size"),
  param: (n) => (n.shape.length === 1 ? undefined : "param must be a vector"),
  data: (n) => (n.arg.values.length === sizeOf(n.shape) ? undefined : "data size"),
  placeholder: (n) => (n.src.length === 0 ? undefined : "placeholder with sources"),
  broadcast: (n, { s }) => (broadcastsTo(s[0], n.shape) ? undefined : "broadcast target"),
  sumTo: (n, { s }) => (broadcastsTo(n.shape, s[0]) ? undefined : "sumTo target"),
  reshape: (n, { s }) => (sizeOf(s[0]) === sizeOf(n.shape) ? undefined : "reshape size"),
  sum: (n, x) => reduction(n.arg.axis, x),
  logSumExp: (n, x) => reduction(n.arg.axis, x),
  gather: (n, { s, is }) => {
    const idx = n.arg.indices;
    if (!idx.every((i) => i >= 0 && i < s[0][0])) return "gather index out of range";
    return is([idx.length, ...s[0].slice(1)]) ? undefined : "gather shape";
  },
  scatterAdd: (n, { s, is }) => {
    const a = n.arg;
    if (a.indices.length !== s[0][0] || !a.indices.every((i) => i >= 0 && i < a.length)) return "scatterAdd indices";
    return is([a.length, ...s[0].slice(1)]) ? undefined : "scatterAdd shape";
  },
  concat: (_n, { s, is }) => {
    const rest = s[0].slice(1);
    if (!s.every((x) => sameShape(x.slice(1), rest))) return "concat trailing shapes";
    return is([s.reduce((a, x) => a + x[0], 0), ...rest]) ? undefined : "concat shape";
  },
  transpose: (_n, { s, is }) => (s[0].length === 2 && is([s[0][1], s[0][0]]) ? undefined : "transpose shape"),
  matmul: (_n, { s, is }) =>
    s[0][s[0].length - 1] === s[1][0] && is([...s[0].slice(0, -1), ...s[1].slice(1)]) ? undefined : "matmul shape",
  cholesky: (_n, { s, is }) => (s[0].length === 2 && s[0][0] === s[0][1] && is(s[0]) ? undefined : "cholesky shape"),
  triSolve: (_n, { s, is }) => (s[0].length === 2 && s[0][0] === s[0][1] && s[1][0] === s[0][0] && is(s[1]) ? undefined : "triSolve shape"),
  cumsum: (_n, { s, is }) => (is(s[0]) && s[0].length >= 1 ? undefined : "cumsum shape"),
  scan: (n, { s }) => {
    const a = n.arg;
    const nC = a.carry.length;
    const seqs = s.slice(nC, nC + a.slices.length);
    if (!a.carry.every((p, i) => sameShape(p.shape, s[i]) && sameShape(a.nextCarry[i].shape, s[i]))) return "scan carry shapes";
    if (!seqs.every((q, j) => q[0] === a.length && sameShape(q.slice(1), a.slices[j].shape))) return "scan sequence shapes";
    if (s.length !== nC + a.slices.length + a.free) return "scan sources";
    // The body is IR too: verify it.
    verifyIR([...a.nextCarry, ...a.outputs]);
    return undefined;
  },
  scanResult: (n) => (n.src.length === 1 && n.src[0].op === "scan" ? undefined : "scanResult of a non-scan"),
};

/** The shape of a reduction over `axis` (all axes when null). */
function reduction(axis: number | null, { s, is }: Shapes): string | undefined {
  const want = axis === null ? [] : s[0].filter((_, k) => k !== axis);
  return is(want) ? undefined : "reduction shape";
}

function check(n: Node): string | undefined {
  const s = n.src.map((x) => x.shape);
  const is = (shape: Shape) => sameShape(n.shape, shape);
  if (isUnary(n.op)) return s.length === 1 && is(s[0]) ? undefined : "unary shape";
  if (isBinary(n.op)) return s.length === 2 && is(s[0]) && is(s[1]) ? undefined : "binary operands must share the result shape";
  const rule = rules[n.op] as ((n: Node, x: Shapes) => string | undefined) | undefined;
  return rule === undefined ? `unknown op ${n.op}` : rule(n, { s, is });
}

/** Throws if any node reachable from `roots` is ill-formed. */
export function verifyIR(roots: readonly Node[]): void {
  for (const n of topoSort(roots)) {
    const why = check(n);
    if (why !== undefined) throw new Error(`IR verifier: node ${n.id} (${n.op} [${n.shape.join(", ")}]): ${why}`);
  }
}
