/**
 * The IR verifier: every node's shape and payload agree with its op and
 * sources. Run in tests on every graph the compiler produces.
 * @module
 */
import { broadcastsTo, sameShape, type Shape, sizeOf } from "../tensor/shape.ts";
import { type Arg, isBinary, isUnary, type Node } from "./node.ts";
import { topoSort } from "./walk.ts";

function check(n: Node): string | undefined {
  const s = n.src.map((x) => x.shape);
  const is = (shape: Shape) => sameShape(n.shape, shape);
  if (isUnary(n.op)) return s.length === 1 && is(s[0]) ? undefined : "unary shape";
  if (isBinary(n.op)) return s.length === 2 && is(s[0]) && is(s[1]) ? undefined : "binary operands must share the result shape";
  switch (n.op) {
    case "const":
      return (n.arg as Arg<"const">).values.length === sizeOf(n.shape) ? undefined : "const size";
    case "param":
      return n.shape.length === 1 ? undefined : "param must be a vector";
    case "data":
      return (n.arg as Arg<"data">).values.length === sizeOf(n.shape) ? undefined : "data size";
    case "broadcast":
      return broadcastsTo(s[0], n.shape) ? undefined : "broadcast target";
    case "sumTo":
      return broadcastsTo(n.shape, s[0]) ? undefined : "sumTo target";
    case "reshape":
      return sizeOf(s[0]) === sizeOf(n.shape) ? undefined : "reshape size";
    case "sum":
    case "logSumExp": {
      const axis = (n.arg as Arg<"sum">).axis;
      const want = axis === null ? [] : s[0].filter((_, k) => k !== axis);
      return is(want) ? undefined : "reduction shape";
    }
    case "gather": {
      const idx = (n.arg as Arg<"gather">).indices;
      if (!idx.every((i) => i >= 0 && i < s[0][0])) return "gather index out of range";
      return is([idx.length, ...s[0].slice(1)]) ? undefined : "gather shape";
    }
    case "scatterAdd": {
      const a = n.arg as Arg<"scatterAdd">;
      if (a.indices.length !== s[0][0] || !a.indices.every((i) => i >= 0 && i < a.length)) return "scatterAdd indices";
      return is([a.length, ...s[0].slice(1)]) ? undefined : "scatterAdd shape";
    }
    case "concat": {
      const rest = s[0].slice(1);
      if (!s.every((x) => sameShape(x.slice(1), rest))) return "concat trailing shapes";
      return is([s.reduce((a, x) => a + x[0], 0), ...rest]) ? undefined : "concat shape";
    }
    case "transpose":
      return s[0].length === 2 && is([s[0][1], s[0][0]]) ? undefined : "transpose shape";
    case "matmul":
      return s[0][s[0].length - 1] === s[1][0] && is([...s[0].slice(0, -1), ...s[1].slice(1)]) ? undefined : "matmul shape";
    case "cholesky":
      return s[0].length === 2 && s[0][0] === s[0][1] && is(s[0]) ? undefined : "cholesky shape";
    case "triSolve":
      return s[0].length === 2 && s[0][0] === s[0][1] && s[1][0] === s[0][0] && is(s[1]) ? undefined : "triSolve shape";
    case "cumsum":
      return is(s[0]) && s[0].length >= 1 ? undefined : "cumsum shape";
    case "placeholder":
      return n.src.length === 0 ? undefined : "placeholder with sources";
    case "scan": {
      const a = n.arg as Arg<"scan">;
      const nC = a.carry.length;
      const seqs = s.slice(nC, nC + a.slices.length);
      if (!a.carry.every((p, i) => sameShape(p.shape, s[i]) && sameShape(a.nextCarry[i].shape, s[i]))) return "scan carry shapes";
      if (!seqs.every((q, j) => q[0] === a.length && sameShape(q.slice(1), a.slices[j].shape))) return "scan sequence shapes";
      if (s.length !== nC + a.slices.length + a.free) return "scan sources";
      // The body is IR too: verify it.
      verifyIR([...a.nextCarry, ...a.outputs]);
      return undefined;
    }
    case "scanResult":
      return n.src.length === 1 && n.src[0].op === "scan" ? undefined : "scanResult of a non-scan";
    default:
      return `unknown op ${n.op}`;
  }
}

/** Throws if any node reachable from `roots` is ill-formed. */
export function verifyIR(roots: readonly Node[]): void {
  for (const n of topoSort(roots)) {
    const why = check(n);
    if (why !== undefined) throw new Error(`IR verifier: node ${n.id} (${n.op} [${n.shape.join(", ")}]): ${why}`);
  }
}
