/**
 * Powers of exponentials: exp(a)·exp(a) = exp(2a) when nothing else reads
 * exp(a), and x/exp(a) = x·exp(−a) when everything that reads it divides.
 * A scale σ = exp(a/2) that a density only uses as 1/σ² then costs one exp
 * and no division, as a hand-written gradient would compute it.
 * @module
 */
import type { Graph } from "./graph.ts";
import type { Node } from "./node.ts";
import { PolyAlgebra } from "./poly.ts";
import { rebuild } from "./rebuild.ts";
import { topoSort } from "./walk.ts";

/** How many times each node is read (per source edge; roots and scan bodies' results count as reads), and how many of those as a divisor. */
function readCounts(roots: readonly Node[]): { all: Map<number, number>; divisor: Map<number, number> } {
  const all = new Map<number, number>();
  const divisor = new Map<number, number>();
  const count = (m: Map<number, number>, n: Node) => m.set(n.id, (m.get(n.id) ?? 0) + 1);
  const seen = new Set<number>();
  const visit = (rs: readonly Node[]) => {
    rs.forEach((r) => count(all, r));
    for (const n of topoSort(rs, (x) => seen.has(x.id))) {
      if (seen.has(n.id)) continue;
      seen.add(n.id);
      n.src.forEach((s) => count(all, s));
      if (n.op === "div") count(divisor, n.src[1]);
      if (n.op === "scan") {
        const a = (n as Node<"scan">).arg;
        visit([...a.nextCarry, ...a.outputs]);
      }
    }
  };
  visit(roots);
  return { all, divisor };
}

const isOne = (n: Node) => n.op === "const" && (n.arg as { values: Float64Array }).values.every((v) => v === 1);

/** `roots` with squares of otherwise unread exponentials, and divisions by exponentials read only as divisors, folded into the exponent. */
export function foldExpPowers(G: Graph, alg: PolyAlgebra, roots: readonly Node[]): Node[] {
  const reads = readCounts(roots);
  // An exponential (perhaps just folded) that the original graph reads `times` times, all here.
  const only = (x: Node, before: Node, times: number) => x.op === "exp" && reads.all.get(before.id) === times;
  const onlyDivisor = (x: Node, before: Node) => x.op === "exp" && reads.all.get(before.id) === reads.divisor.get(before.id);
  const exponent = (x: Node, k: number) => G.unary("exp", alg.build(PolyAlgebra.times(alg.polyOf(x.src[0]), k), x.shape));
  return rebuild(G, roots, (n, original) => {
    const [a, b] = n.src;
    if (n.op === "mul" && a === b && original.src[0] === original.src[1] && only(a, original.src[0], 2)) return exponent(a, 2);
    if (n.op === "div" && onlyDivisor(b, original.src[1])) return isOne(a) ? exponent(b, -1) : G.binary("mul", a, exponent(b, -1));
    return n;
  });
}
