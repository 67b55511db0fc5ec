/**
 * The IR builder as a value representation: every primitive becomes a node.
 * @module
 */
import type { TensorOps } from "../tensor/ops.ts";
import type { Arg, Node } from "../ir/node.ts";
import { evaluateNode } from "../ir/evaluate.ts";
import { Graph } from "../ir/graph.ts";
import { numTensor } from "../numeric/ops.ts";

/** TensorOps whose values are IR nodes of `G`. */
export function graphOps(G: Graph): TensorOps<Node> {
  // What build-time checks know: constants, data, and what is computed from them alone (a scale s − 1.5 of
  // data s is checked as data is, naming its site, instead of making every log density −∞).
  const known = new Map<number, Float64Array | null>();
  const knownValue = (x: Node): Float64Array | undefined => {
    if (x.op === "const") return (x.arg as Arg<"const">).values;
    if (x.op === "data") return (x.arg as Arg<"data">).values;
    const hit = known.get(x.id);
    if (hit !== undefined) return hit ?? undefined;
    let value: Float64Array | undefined;
    const xs = x.src.length === 0 ? undefined : x.src.map(knownValue);
    if (xs !== undefined && xs.every((v): v is Float64Array => v !== undefined)) {
      try {
        value = evaluateNode(
          x,
          xs.map((v, k) => numTensor(v, x.src[k].shape)),
        )?.v;
      } catch {
        value = undefined;
      }
    }
    known.set(x.id, value ?? null);
    return value;
  };
  return {
    shape: (x) => x.shape,
    constant: (values, shape) => G.constant(values, shape),
    knownValue,
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
