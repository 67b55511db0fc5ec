/**
 * The IR builder as a value representation: every primitive becomes a node.
 * @module
 */
import { type TensorOps, type UnaryOp, unaryOps } from "../tensor/ops.ts";
import { type Arg, isBinary, type Node } from "../ir/node.ts";
import { Graph } from "../ir/graph.ts";
import { numericOps, type NumTensor, numTensor } from "../numeric/ops.ts";

const modelUnary = new Set<string>(unaryOps);

/**
 * The value of a node made of constants and data alone, by the reference
 * arithmetic, from its sources' values; undefined for what reads a
 * parameter or a loop's input, or where the arithmetic refuses (a
 * Cholesky factor of a matrix that is not positive definite).
 */
function evaluate(n: Node, xs: readonly NumTensor[]): NumTensor | undefined {
  const [a, b] = xs;
  if (modelUnary.has(n.op)) return numericOps.unary(n.op as UnaryOp, a);
  if (isBinary(n.op)) return numericOps.binary(n.op, a, b);
  switch (n.op) {
    case "broadcast":
      return numericOps.broadcast(a, n.shape);
    case "reshape":
      return numericOps.reshape(a, n.shape);
    case "sum":
      return numericOps.sum(a, (n.arg as Arg<"sum">).axis);
    case "logSumExp":
      return numericOps.logSumExp(a, (n.arg as Arg<"logSumExp">).axis);
    case "gather":
      return numericOps.gather(a, (n.arg as Arg<"gather">).indices);
    case "concat":
      return numericOps.concat(xs);
    case "transpose":
      return numericOps.transpose(a);
    case "matmul":
      return numericOps.matmul(a, b);
    case "cholesky":
      return numericOps.cholesky(a);
    case "triSolve":
      return numericOps.triSolve(a, b, (n.arg as Arg<"triSolve">).transpose);
    case "cumsum":
      return numericOps.cumsum(a);
    default:
      return undefined;
  }
}

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
        value = evaluate(
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
