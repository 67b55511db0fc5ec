/**
 * Horizontal fusion: full sums over the same iteration shape, and the
 * elementwise nodes that only feed them, are computed in ONE loop. A log
 * density is mostly such sums (the forward terms and each parameter's
 * gradient), so this turns several passes over the data into one, as a
 * hand-written gradient would do.
 * @module
 */
import { sameShape } from "../../dsl/shape.ts";
import { isBinary, isUnary, type Arg, type Node } from "../../ir/node.ts";
import type { Kind } from "./plan.ts";

/** One fused loop. */
export interface FusedLoop {
  readonly shape: readonly number[];
  /** The full sums it computes. */
  readonly sums: readonly Node[];
  /** Elementwise nodes computed once per iteration (topological order). */
  readonly region: readonly Node[];
}

const isElementwise = (n: Node) => isUnary(n.op) || isBinary(n.op);
const isFullSum = (n: Node) => n.op === "sum" && (n.arg as Arg<"sum">).axis === null && n.src[0].shape.length > 0;

/** Finds fused loops among `order` (topological); roots are read by the caller and stay out of regions. */
export function findFusedLoops(order: readonly Node[], kind: ReadonlyMap<number, Kind>, roots: readonly Node[]): FusedLoop[] {
  const consumers = new Map<number, Node[]>();
  for (const n of order) for (const s of n.src) consumers.set(s.id, [...(consumers.get(s.id) ?? []), n]);
  const rootIds = new Set(roots.map((r) => r.id));
  const shapes = new Map<string, readonly number[]>();
  for (const n of order) if (isFullSum(n)) shapes.set(n.src[0].shape.join("x"), n.src[0].shape);

  // Which full sums each node depends on (to keep a loop from needing its own results).
  const sumDeps = new Map<number, Set<number>>();
  for (const n of order) {
    const deps = new Set<number>();
    for (const s of n.src) {
      for (const d of sumDeps.get(s.id) ?? []) deps.add(d);
      if (isFullSum(s)) deps.add(s.id);
    }
    sumDeps.set(n.id, deps);
  }

  const loops: FusedLoop[] = [];
  for (const shape of shapes.values()) {
    let sums = order.filter((n) => isFullSum(n) && sameShape(n.src[0].shape, shape));
    let region = new Set<number>();
    for (;;) {
      const sumIds = new Set(sums.map((s) => s.id));
      // The largest set of elementwise nodes of this shape whose every consumer is in the set or one of the sums.
      region = new Set(
        order.filter((n) => isElementwise(n) && sameShape(n.shape, shape) && kind.get(n.id) !== "leaf" && !rootIds.has(n.id)).map((n) => n.id),
      );
      let changed = true;
      while (changed) {
        changed = false;
        for (const id of [...region]) {
          const cs = consumers.get(id) ?? [];
          if (!cs.every((c) => region.has(c.id) || sumIds.has(c.id))) {
            region.delete(id);
            changed = true;
          }
        }
      }
      // External inputs of each sum must not depend on any sum of this loop.
      const externalDeps = (s: Node): Set<number> => {
        const out = new Set<number>();
        const stack = [s.src[0]];
        const seen = new Set<number>();
        while (stack.length > 0) {
          const x = stack.pop() as Node;
          if (seen.has(x.id)) continue;
          seen.add(x.id);
          if (region.has(x.id)) stack.push(...x.src);
          else {
            for (const d of sumDeps.get(x.id) ?? []) out.add(d);
            if (isFullSum(x)) out.add(x.id);
          }
        }
        return out;
      };
      const keep = sums.filter((s) => ![...externalDeps(s)].some((d) => sumIds.has(d)));
      if (keep.length === sums.length) break;
      sums = keep;
    }
    if (sums.length < 2 && region.size === 0) continue;
    // Only region nodes that some kept sum reads belong to this loop.
    const used = new Set<number>();
    const stack = sums.map((s) => s.src[0]);
    while (stack.length > 0) {
      const x = stack.pop() as Node;
      if (used.has(x.id) || !region.has(x.id)) continue;
      used.add(x.id);
      stack.push(...x.src);
    }
    if (sums.length === 0) continue;
    loops.push({ shape, sums, region: order.filter((n) => used.has(n.id)) });
  }
  return loops;
}
