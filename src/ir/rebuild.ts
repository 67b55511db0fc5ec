/**
 * The driver of IR-to-IR passes: rebuilds a graph bottom-up through the
 * {@link Graph} builders (so interning, folding and identities apply to the
 * result), letting a rule replace each node once its sources are rebuilt.
 * Scan bodies are rebuilt too, with the same memo, so a node shared by a
 * forward body and its reverse (gradient) body maps to one result.
 * @module
 */
import type { Graph } from "./graph.ts";
import { isBinary, isUnary, type Node, type StructuralOp } from "./node.ts";
import { topoSort } from "./walk.ts";

/** A rewrite of one node, given the node remade over its rebuilt sources and the original. */
export type Rule = (n: Node, original: Node) => Node;

/** How each op with sources is remade over new sources (`n` gives the shape and payload); a missing op is a compile error. */
const remakeRules: { readonly [K in Exclude<StructuralOp, "scan">]: (G: Graph, n: Node<K>, src: readonly Node[]) => Node } = {
  broadcast: (G, n, [x]) => G.broadcast(x, n.shape),
  sumTo: (G, n, [x]) => G.sumTo(x, n.shape),
  reshape: (G, n, [x]) => G.reshape(x, n.shape),
  sum: (G, n, [x]) => G.sum(x, n.arg.axis),
  logSumExp: (G, n, [x]) => G.logSumExp(x, n.arg.axis),
  gather: (G, n, [x]) => G.gather(x, n.arg.indices),
  scatterAdd: (G, n, [x]) => G.scatterAdd(x, n.arg.indices, n.arg.length),
  concat: (G, _n, src) => G.concat(src),
  transpose: (G, _n, [x]) => G.transpose(x),
  matmul: (G, _n, [a, b]) => G.matmul(a, b),
  cholesky: (G, _n, [x]) => G.cholesky(x),
  triSolve: (G, n, [l, b]) => G.triSolve(l, b, n.arg.transpose),
  cumsum: (G, _n, [x]) => G.cumsum(x),
  scanResult: (G, n, src) => G.make("scanResult", n.shape, src, n.arg),
};

/**
 * `n` over new sources, through the builders (returns `n` itself when
 * nothing changed). Leaves have no sources; scans are rebuilt with their
 * bodies by {@link rebuild}.
 */
export function remake(G: Graph, n: Node, src: readonly Node[]): Node {
  if (src.every((s, k) => s === n.src[k])) return n;
  if (isUnary(n.op)) return G.unary(n.op, src[0]);
  if (isBinary(n.op)) return G.binary(n.op, src[0], src[1]);
  const rule = remakeRules[n.op as keyof typeof remakeRules] as ((G: Graph, n: Node, src: readonly Node[]) => Node) | undefined;
  if (rule === undefined) throw new Error(`rebuild: ${n.op} is not remade from its sources`);
  return rule(G, n, src);
}

/**
 * Rebuilds everything `roots` reach, applying `rule` to each remade node;
 * returns the new roots. Leaves (constants, parameters, data, placeholders)
 * are kept as they are.
 */
export function rebuild(G: Graph, roots: readonly Node[], rule: Rule): Node[] {
  const memo = new Map<number, Node>();
  const visit = (rs: readonly Node[]): Node[] => {
    for (const n of topoSort(rs, (x) => memo.has(x.id))) {
      if (memo.has(n.id)) continue;
      memo.set(n.id, n.src.length === 0 ? n : n.op === "scan" ? rebuildScan(n as Node<"scan">) : rule(remake(G, n, n.src.map(get)), n));
    }
    return rs.map(get);
  };
  const get = (n: Node): Node => {
    const m = memo.get(n.id);
    if (m === undefined) throw new Error(`rebuild: node ${n.id} (${n.op}) used before it was rebuilt`);
    return m;
  };
  const rebuildScan = (n: Node<"scan">): Node => {
    const a = n.arg;
    const nC = a.carry.length;
    const nS = a.slices.length;
    const nextCarry = visit(a.nextCarry);
    const outputs = visit(a.outputs);
    const init = n.src.slice(0, nC).map(get);
    const seqs = n.src.slice(nC, nC + nS).map(get);
    const same = (xs: readonly Node[], ys: readonly Node[]) => xs.every((x, k) => x === ys[k]);
    // The free values are recomputed from the new body: unchanged bodies keep their scan node.
    if (same(nextCarry, a.nextCarry) && same(outputs, a.outputs) && same(n.src.map(get), n.src)) return n;
    const body = { length: a.length, carry: a.carry, slices: a.slices, nextCarry, outputs };
    // Only the scan node is needed here: scanResult nodes are remade from it by index.
    const r = G.scanFromBody(body, init, seqs);
    const any = r.carry[0] ?? r.outputs[0] ?? r.history[0];
    return any === undefined ? n : any.src[0];
  };
  return visit(roots);
}
