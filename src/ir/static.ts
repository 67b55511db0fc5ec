/**
 * Static nodes: those whose value depends on data and constants only, so it
 * is fixed between data changes and can be computed once per data set; and
 * nodes that read data at all.
 * @module
 */
import type { Node } from "./node.ts";

/** A node property defined from the node and the same property of its sources, memoized per node. */
function memoized(holds: (n: Node, test: (m: Node) => boolean) => boolean): (n: Node) => boolean {
  const memo = new Map<number, boolean>();
  const test = (n: Node): boolean => {
    let r = memo.get(n.id);
    if (r === undefined) {
      r = holds(n, test);
      memo.set(n.id, r);
    }
    return r;
  };
  return test;
}

/** A memoized test of whether a node is static (scans count as dynamic). */
export function staticTest(): (n: Node) => boolean {
  return memoized((n, test) => n.op === "const" || n.op === "data" || (n.src.length > 0 && n.op !== "scan" && n.src.every(test)));
}

/** A memoized test of whether a node reads data (a data node among its sources, at any depth). */
export function readsDataTest(): (n: Node) => boolean {
  return memoized((n, test) => n.op === "data" || n.src.some(test));
}
