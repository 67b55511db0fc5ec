/**
 * The driver of IR-to-IR passes: rebuilds a graph bottom-up through the
 * {@link Graph} builders (so interning, folding and identities apply to the
 * result), letting a rule replace each node once its sources are rebuilt.
 * Scan bodies are rebuilt too, with the same memo, so a node shared by a
 * forward body and its reverse (gradient) body maps to one result.
 * @module
 */
import type { Graph } from "./graph.ts";
import type { Arg, Node } from "./node.ts";
import { isBinary, isUnary } from "./node.ts";
import { topoSort } from "./walk.ts";

/** A rewrite of one node, given the node remade over its rebuilt sources and the original. */
export type Rule = (n: Node, original: Node) => Node;

/** `n` over new sources, through the builders (returns `n` itself when nothing changed). */
export function remake(G: Graph, n: Node, src: readonly Node[]): Node {
  if (src.every((s, k) => s === n.src[k])) return n;
  if (isUnary(n.op)) return G.unary(n.op, src[0]);
  if (isBinary(n.op)) return G.binary(n.op, src[0], src[1]);
  const x = src[0];
  switch (n.op) {
    case "broadcast":
      return G.broadcast(x, n.shape);
    case "sumTo":
      return G.sumTo(x, n.shape);
    case "reshape":
      return G.reshape(x, n.shape);
    case "sum":
      return G.sum(x, (n.arg as Arg<"sum">).axis);
    case "logSumExp":
      return G.logSumExp(x, (n.arg as Arg<"logSumExp">).axis);
    case "gather":
      return G.gather(x, (n.arg as Arg<"gather">).indices);
    case "scatterAdd": {
      const a = n.arg as Arg<"scatterAdd">;
      return G.scatterAdd(x, a.indices, a.length);
    }
    case "concat":
      return G.concat(src);
    case "transpose":
      return G.transpose(x);
    case "matmul":
      return G.matmul(x, src[1]);
    case "cholesky":
      return G.cholesky(x);
    case "triSolve":
      return G.triSolve(x, src[1], (n.arg as Arg<"triSolve">).transpose);
    case "cumsum":
      return G.cumsum(x);
    case "scanResult":
      return G.make("scanResult", n.shape, src, n.arg as Arg<"scanResult">);
    default:
      throw new Error(`rebuild: cannot remake ${n.op}`);
  }
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
