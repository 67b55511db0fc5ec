/**
 * Traversals of the IR: topological order and use counts.
 * @module
 */
import type { Node } from "./node.ts";

/**
 * All nodes reachable from `roots`, each after its sources. Nodes for which
 * `stop` holds are included but not looked through.
 */
export function topoSort(roots: readonly Node[], stop?: (n: Node) => boolean): Node[] {
  const seen = new Set<number>();
  const order: Node[] = [];
  // Iterative DFS: models with long chains must not overflow the stack.
  const stack: { node: Node; next: number }[] = [];
  for (const root of roots) {
    if (seen.has(root.id)) continue;
    seen.add(root.id);
    stack.push({ node: root, next: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.node.src.length && !(stop?.(top.node) ?? false)) {
        const child = top.node.src[top.next++];
        if (!seen.has(child.id)) {
          seen.add(child.id);
          stack.push({ node: child, next: 0 });
        }
      } else {
        order.push(top.node);
        stack.pop();
      }
    }
  }
  return order;
}

/** How many times each node is used as a source (roots count once each). */
export function useCounts(order: readonly Node[], roots: readonly Node[]): Map<number, number> {
  const uses = new Map<number, number>();
  for (const n of order) for (const s of n.src) uses.set(s.id, (uses.get(s.id) ?? 0) + 1);
  for (const r of roots) uses.set(r.id, (uses.get(r.id) ?? 0) + 1);
  return uses;
}
