/**
 * One IR op evaluated on known values by the reference arithmetic
 * (numericOps): what the graph folds constants with, and what build-time
 * checks compute values made of constants and data alone with.
 * @module
 */
import { numericOps, type NumTensor } from "../numeric/ops.ts";
import { type UnaryOp, unaryOps } from "../tensor/ops.ts";
import { type Arg, isBinary, type Node } from "./node.ts";

const modelUnary = new Set<string>(unaryOps);

/** What evaluating a node reads of it: its op, shape and payload. */
export type NodeHead = Pick<Node, "op" | "shape" | "arg">;

/**
 * The value of node `n` from its sources' values `xs`; undefined for ops
 * that are not evaluated so: leaves, loops and the IR's own unary ops. It
 * throws where the arithmetic does (a Cholesky factor of a matrix that is
 * not positive definite).
 */
export function evaluateNode(n: NodeHead, xs: readonly NumTensor[]): NumTensor | undefined {
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
