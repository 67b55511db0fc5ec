/**
 * Static nodes: those whose value depends on data and constants only, so it
 * is fixed between data changes and can be computed once per data set.
 * @module
 */
import type { Node } from "./node.ts";

/** A memoized test of whether a node is static (scans count as dynamic). */
export function staticTest(): (n: Node) => boolean {
  const memo = new Map<number, boolean>();
  const test = (n: Node): boolean => {
    let s = memo.get(n.id);
    if (s === undefined) {
      s = n.op === "const" || n.op === "data" || (n.src.length > 0 && n.op !== "scan" && n.src.every(test));
      memo.set(n.id, s);
    }
    return s;
  };
  return test;
}
