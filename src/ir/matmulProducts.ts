/**
 * For the careful form (see simplify.ts): a product c ⊙ (A·B) becomes
 * Σₖ c ⊙ A[·,k] ⊙ B[k,·], so that each term is one product, which the
 * careful form takes in log space. A gradient eˣ ⊙ (Aᵀ·G) is 0·∞ where
 * Aᵀ·G overflows and eˣ underflows to 0 (A of 1e225), while each term
 * eˣ·A·G is finite.
 * @module
 */
import type { Graph } from "./graph.ts";
import type { Node } from "./node.ts";
import { rebuild } from "./rebuild.ts";

/**
 * Matrix products expanded only up to this many terms (m·k·n): the careful
 * form runs rarely, but its code and buffers are built with every density.
 */
const MAX_TERMS = 4096;

/** The matmul under a chain of reshapes, if `n` is one. */
function matmulUnder(n: Node): Node<"matmul"> | undefined {
  let x = n;
  while (x.op === "reshape") x = x.src[0];
  return x.op === "matmul" ? (x as Node<"matmul">) : undefined;
}

/** Σₖ c ⊙ a[·,k] ⊙ b[k,·] in the shape of c (= that of a·b, up to reshapes), or undefined past MAX_TERMS. */
function expanded(G: Graph, c: Node, mm: Node<"matmul">): Node | undefined {
  const [a, b] = mm.src;
  const m = a.shape.length === 2 ? a.shape[0] : 1;
  const k = a.shape[a.shape.length - 1];
  const n = b.shape.length === 2 ? b.shape[1] : 1;
  if (m * k * n > MAX_TERMS) return undefined;
  const cube = [m, k, n];
  const spread = (x: Node, shape: number[]) => G.broadcast(G.reshape(x, shape), cube);
  const terms = G.binary("mul", G.binary("mul", spread(c, [m, 1, n]), spread(a, [m, k, 1])), spread(b, [1, k, n]));
  return G.reshape(G.sum(terms, 1), c.shape);
}

/** The graph of `roots` with every product of a factor and a (reshaped) matrix product expanded (see the module comment). */
export function expandMatmulProducts(G: Graph, roots: readonly Node[]): Node[] {
  return rebuild(G, roots, (n) => {
    if (n.op !== "mul") return n;
    for (const [x, c] of [n.src, [n.src[1], n.src[0]]]) {
      const mm = matmulUnder(x);
      const r = mm === undefined ? undefined : expanded(G, c, mm);
      if (r !== undefined) return r;
    }
    return n;
  });
}
