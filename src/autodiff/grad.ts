/**
 * Reverse-mode AD as an IR-to-IR transformation: from output nodes and their
 * cotangents, the IR of the cotangents of chosen input nodes.
 * @module
 */
import type { Graph } from "../ir/graph.ts";
import type { Node, Op } from "../ir/node.ts";
import { topoSort } from "../ir/walk.ts";
import type { GradientOptions, VjpContext, VjpRule } from "./rule.ts";
import { vjpRules } from "./vjp.ts";

/**
 * Cotangents of `wrt` given cotangents `seeds` of `roots` (null where a
 * `wrt` node does not influence the roots). Propagation stops at `wrt` nodes:
 * their own inputs are the caller's business.
 */
export function vjp(
  G: Graph,
  roots: readonly Node[],
  seeds: readonly (Node | null)[],
  wrt: readonly Node[],
  options: GradientOptions = {},
): (Node | null)[] {
  const wrtIds = new Set(wrt.map((p) => p.id));
  const order = topoSort(roots, (n) => wrtIds.has(n.id));
  // Only nodes that depend on a `wrt` node carry cotangents.
  const live = new Set<number>();
  for (const n of order) {
    if (wrtIds.has(n.id) || n.src.some((s) => live.has(s.id))) live.add(n.id);
  }
  const cot = new Map<number, Node>();
  const accumulate = (id: number, part: Node) => {
    const prev = cot.get(id);
    cot.set(id, prev === undefined ? part : G.binary("add", prev, part));
  };
  roots.forEach((r, k) => {
    const s = seeds[k];
    if (s !== null) accumulate(r.id, s);
  });
  // Scans have several results: their cotangents are gathered here, per result index.
  const resultCots = new Map<number, (Node | null)[]>();
  const ctx: VjpContext = {
    addResultCot(scan, index, g) {
      const list = resultCots.get(scan.id) ?? [];
      list[index] = list[index] === undefined || list[index] === null ? g : G.binary("add", list[index] as Node, g);
      resultCots.set(scan.id, list);
    },
    resultCots: (scan) => resultCots.get(scan.id) ?? [],
    signedLogScans: options.signedLogScans === true,
    vjp: (r, s, w) => vjp(G, r, s, w, options),
  };
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i];
    if (wrtIds.has(n.id) || n.src.length === 0) continue;
    const g = cot.get(n.id) ?? (n.op === "scan" && resultCots.has(n.id) ? G.scalar(0) : undefined);
    if (g === undefined) continue;
    const need = n.src.map((s) => live.has(s.id));
    if (!need.some(Boolean)) continue;
    const rule = vjpRules[n.op] as VjpRule<Op>;
    const parts = rule(n, g, G, need, ctx);
    n.src.forEach((s, k) => {
      const part = parts[k];
      if (need[k] && part !== null && part !== undefined) accumulate(s.id, part);
    });
  }
  return wrt.map((p) => cot.get(p.id) ?? null);
}

/** Gradient nodes of scalar `output` with respect to each of `params`. */
export function gradient(G: Graph, output: Node, params: readonly Node[], options: GradientOptions = {}): (Node | null)[] {
  if (output.shape.length !== 0) throw new Error("gradient: the output must be a scalar");
  return vjp(G, [output], [G.scalar(1)], params, options);
}
