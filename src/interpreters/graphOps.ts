/**
 * The IR builder as a value representation: every primitive becomes a node.
 * @module
 */
import type { TensorOps } from "../tensor/ops.ts";
import type { Arg, Node } from "../ir/node.ts";
import { Graph } from "../ir/graph.ts";

/** TensorOps whose values are IR nodes of `G`. */
export function graphOps(G: Graph): TensorOps<Node> {
  return {
    shape: (x) => x.shape,
    constant: (values, shape) => G.constant(values, shape),
    knownValue: (x) => (x.op === "const" ? (x.arg as Arg<"const">).values : x.op === "data" ? (x.arg as Arg<"data">).values : undefined),
    unary: (op, x) => G.unary(op, x),
    binary: (op, a, b) => G.binary(op, a, b),
    broadcast: (x, shape) => G.broadcast(x, shape),
    reshape: (x, shape) => G.reshape(x, shape),
    sum: (x, axis) => G.sum(x, axis),
    logSumExp: (x, axis) => G.logSumExp(x, axis),
    gather: (x, indices) => G.gather(x, indices),
    concat: (xs) => G.concat(xs),
    transpose: (x) => G.transpose(x),
    matmul: (a, b) => G.matmul(a, b),
    cholesky: (a) => G.cholesky(a),
    triSolve: (l, b, t) => G.triSolve(l, b, t),
    cumsum: (x) => G.cumsum(x),
    scan: (body, init, sequences, length) => G.scan(body, init, sequences, length),
  };
}
