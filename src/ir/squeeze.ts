/**
 * Shape rules of the simplifier: dimensions of size 1 carry no work, so
 * computations are moved to the shape without them (a `[1]` parameter's
 * arithmetic becomes scalar arithmetic, a `[100, 1]` column's becomes a
 * `[100]` vector's), with reshapes at the edges. Nodes that compute the same
 * elements then share one shape, so code generation fuses their loops.
 * @module
 */
import { sizeOf, type Shape, sameShape } from "../tensor/shape.ts";
import type { Graph } from "./graph.ts";
import { type Arg, isBinary, isUnary, type Node } from "./node.ts";

/** Simplifies a new node whose sources are already simplified. */
export type Simp = (n: Node) => Node;

const squeezed = (s: Shape) => s.filter((d) => d !== 1);
/** The shape with the dimensions of size 1 after the first removed (ops along axis 0 keep it). */
const squeezedRows = (s: Shape) => [s[0], ...squeezed(s.slice(1))];

/** `n` rewritten to compute without size-1 dimensions, or undefined when no rule applies. */
export function squeezeRule(G: Graph, n: Node, simp: Simp): Node | undefined {
  const x = n.src[0];
  const to = (y: Node, shape: Shape) => simp(G.reshape(y, shape));
  const inner = squeezed(n.shape);
  if ((isUnary(n.op) || isBinary(n.op)) && inner.length < n.shape.length) {
    const src = n.src.map((s) => to(s, inner));
    return G.reshape(simp(isUnary(n.op) ? G.unary(n.op, src[0]) : G.binary(n.op, src[0], src[1])), n.shape);
  }
  switch (n.op) {
    case "broadcast":
      return x.shape.length > 0 && sizeOf(x.shape) === 1 ? simp(G.broadcast(G.reshape(x, []), n.shape)) : undefined;
    case "reshape":
      // A reshaped broadcast scalar is the scalar broadcast to the new shape.
      return x.op === "broadcast" && sizeOf(x.src[0].shape) === 1 && n.shape.length > 0
        ? simp(G.broadcast(G.reshape(x.src[0], []), n.shape))
        : undefined;
    case "transpose":
      return x.shape.includes(1) ? to(x, n.shape) : undefined;
    case "sum": {
      const axis = (n.arg as Arg<"sum">).axis;
      if (axis === null) return sizeOf(x.shape) === 1 ? to(x, []) : x.op === "reshape" ? simp(G.sum(x.src[0], null)) : undefined;
      if (x.shape[axis] === 1) return to(x, n.shape);
      return sizeOf(n.shape) === 1 ? G.reshape(simp(G.sum(x, null)), n.shape) : undefined;
    }
    case "cumsum":
      return x.shape[0] === 1 ? x : undefined;
    case "sumTo":
      return sizeOf(n.shape) === 1 ? G.reshape(simp(G.sum(x, null)), n.shape) : undefined;
    case "gather":
    case "concat":
    case "scatterAdd": {
      const rows = squeezedRows(n.shape);
      if (sameShape(rows, n.shape)) return undefined;
      const src = n.src.map((s) => to(s, squeezedRows(s.shape)));
      const again =
        n.op === "gather"
          ? G.gather(src[0], (n.arg as Arg<"gather">).indices)
          : n.op === "concat"
            ? G.concat(src)
            : G.scatterAdd(src[0], (n.arg as Arg<"scatterAdd">).indices, (n.arg as Arg<"scatterAdd">).length);
      return G.reshape(simp(again), n.shape);
    }
    default:
      return undefined;
  }
}
