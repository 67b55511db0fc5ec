/**
 * IR of one graph replayed through a model's algebra: how a handler
 * computes, in whatever interpreter runs the model, an expression it found
 * by inspecting the model's graph. The IR's leaves are looked up (the values
 * the model received at named sites), its constants rebuilt, and each op
 * applied through {@link MathAlg}, so the graph interpreter rebuilds the
 * very nodes it had (interning) and the numeric ones compute the values.
 * @module
 */
import type { MathAlg, UnaryFn } from "../dsl/math.ts";
import type { Tensor } from "../dsl/tensor.ts";
import { type Arg, type ElementwiseUnary, isBinary, type Node, type Op } from "../ir/node.ts";
import { topoSort } from "../ir/walk.ts";

type Rule = (m: MathAlg, n: Node, src: readonly Tensor[]) => Tensor;

/** The algebra's function for each IR unary op a model can write (the IR-only ones have none). */
const unaryFns: Partial<Record<ElementwiseUnary, keyof MathAlg>> = {
  neg: "neg",
  exp: "exp",
  log: "log",
  log1p: "log1p",
  expm1: "expm1",
  sqrt: "sqrt",
  abs: "abs",
  tanh: "tanh",
  sin: "sin",
  cos: "cos",
  erf: "erf",
  lgamma: "lgamma",
  digamma: "digamma",
  sigmoid: "invLogit",
  softplus: "log1pExp",
};

/** Structural ops and their algebra counterparts; scans and the gradient-only ops are not replayed. */
const structural: Partial<Record<Op, Rule>> = {
  const: (m, n) => m.reshape(m.constant(Array.from((n.arg as Arg<"const">).values)), n.shape),
  broadcast: (m, n, [x]) => m.broadcastTo(x, n.shape),
  reshape: (m, n, [x]) => m.reshape(x, n.shape),
  sum: (m, n, [x]) => ((n.arg as Arg<"sum">).axis === null ? m.sum(x) : m.sum(x, (n.arg as Arg<"sum">).axis as number)),
  logSumExp: (m, n, [x]) =>
    (n.arg as Arg<"logSumExp">).axis === null ? m.logSumExp(x) : m.logSumExp(x, (n.arg as Arg<"logSumExp">).axis as number),
  gather: (m, n, [x]) => m.gather(x, (n.arg as Arg<"gather">).indices),
  concat: (m, _n, src) => m.concat(src),
  transpose: (m, _n, [x]) => m.transpose(x as Tensor<2>),
  matmul: (m, _n, [a, b]) => m.matmul(a, b),
  cumsum: (m, _n, [x]) => m.cumsum(x),
  cholesky: (m, _n, [x]) => m.cholesky(x as Tensor<2>),
  triSolve: (m, n, [l, b]) => m.triSolve(l as Tensor<2>, b, { transpose: (n.arg as Arg<"triSolve">).transpose }),
};

function ruleOf(op: Op): Rule | undefined {
  if (isBinary(op)) return (m, _n, [a, b]) => (m[op] as (a: Tensor, b: Tensor) => Tensor)(a, b);
  const unary = unaryFns[op as ElementwiseUnary];
  if (unary !== undefined) return (m, _n, [x]) => (m[unary] as UnaryFn)(x);
  return structural[op];
}

/**
 * Whether `roots` can be replayed: every node down to the leaves is an op
 * the algebra has (no parameter slices, scans or gradient-only ops).
 */
export function canReplay(roots: readonly Node[], isLeaf: (n: Node) => boolean): boolean {
  return topoSort(roots, isLeaf).every((n) => isLeaf(n) || ruleOf(n.op) !== undefined);
}

/**
 * `roots` computed with algebra `m`, leaves given by `leaf` (only called on
 * nodes `isLeaf` accepts). Call {@link canReplay} first: an op without a
 * counterpart throws.
 */
export function replay(m: MathAlg, roots: readonly Node[], isLeaf: (n: Node) => boolean, leaf: (n: Node) => Tensor): Tensor[] {
  const memo = new Map<number, Tensor>();
  for (const n of topoSort(roots, isLeaf)) {
    if (isLeaf(n)) {
      memo.set(n.id, leaf(n));
      continue;
    }
    const rule = ruleOf(n.op);
    if (rule === undefined) throw new Error(`internal error: ${n.op} cannot be replayed`);
    memo.set(
      n.id,
      rule(
        m,
        n,
        n.src.map((s) => memo.get(s.id) as Tensor),
      ),
    );
  }
  return roots.map((r) => memo.get(r.id) as Tensor);
}
