/**
 * Powers of exponentials: exp(a)·exp(a) = exp(2a) and 1/exp(a) = exp(−a)
 * when nothing else reads exp(a). A scale σ = exp(a/2) that a density only
 * uses as 1/σ² then costs one exp and no division, as a hand-written
 * gradient would compute it.
 * @module
 */
import type { Graph } from "./graph.ts";
import type { Node } from "./node.ts";
import { PolyAlgebra } from "./poly.ts";
import { rebuild } from "./rebuild.ts";
import { topoSort } from "./walk.ts";

/** How many times each node is read (per source edge; roots and scan bodies' results count as reads). */
function readCounts(roots: readonly Node[]): Map<number, number> {
  const count = new Map<number, number>();
  const read = (n: Node) => count.set(n.id, (count.get(n.id) ?? 0) + 1);
  const seen = new Set<number>();
  const visit = (rs: readonly Node[]) => {
    rs.forEach(read);
    for (const n of topoSort(rs, (x) => seen.has(x.id))) {
      if (seen.has(n.id)) continue;
      seen.add(n.id);
      n.src.forEach(read);
      if (n.op === "scan") {
        const a = (n as Node<"scan">).arg;
        visit([...a.nextCarry, ...a.outputs]);
      }
    }
  };
  visit(roots);
  return count;
}

const isOne = (n: Node) => n.op === "const" && (n.arg as { values: Float64Array }).values.every((v) => v === 1);

/** `roots` with squares and reciprocals of otherwise unread exponentials folded into the exponent. */
export function foldExpPowers(G: Graph, alg: PolyAlgebra, roots: readonly Node[]): Node[] {
  const reads = readCounts(roots);
  // An exponential (perhaps just folded) that the original graph reads `times` times, all here.
  const only = (x: Node, before: Node, times: number) => x.op === "exp" && reads.get(before.id) === times;
  const exponent = (x: Node, k: number) => G.unary("exp", alg.build(PolyAlgebra.times(alg.polyOf(x.src[0]), k), x.shape));
  return rebuild(G, roots, (n, original) => {
    const [a, b] = n.src;
    if (n.op === "mul" && a === b && original.src[0] === original.src[1] && only(a, original.src[0], 2)) return exponent(a, 2);
    if (n.op === "div" && isOne(a) && only(b, original.src[1], 1)) return exponent(b, -1);
    return n;
  });
}
