/**
 * What the generated `prepare()` computes: the data-only values a density
 * reads (log σ of a data σ, 1/σ², Σ y, ...). They are fixed between data
 * changes, so `prepare` runs when the module is loaded and after each
 * `setData`, never per log-density call.
 * @module
 */
import type { Node } from "../../ir/node.ts";
import { staticTest } from "../../ir/static.ts";
import { topoSort } from "../../ir/walk.ts";

const views = new Set<string>(["broadcast", "reshape", "transpose", "gather"]);

/**
 * The static nodes that code reached from `roots` reads: computed ones
 * (not leaves, not views, which are index maps read in place), read by a
 * dynamic node or a root, possibly through views.
 */
export function precomputed(roots: readonly Node[]): Node[] {
  const isStatic = staticTest();
  const order = topoSort(roots);
  const readers = new Map<number, Node[]>();
  for (const n of order) {
    for (const s of n.src) {
      const rs = readers.get(s.id);
      if (rs === undefined) readers.set(s.id, [n]);
      else rs.push(n);
    }
  }
  const rootIds = new Set(roots.map((r) => r.id));
  // escapes: the value reaches dynamic code (through views only).
  const escapes = new Map<number, boolean>();
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i];
    const read = (readers.get(n.id) ?? []).some((c) => !isStatic(c) || (views.has(c.op) && escapes.get(c.id) === true));
    escapes.set(n.id, rootIds.has(n.id) || read);
  }
  return order.filter((n) => isStatic(n) && n.src.length > 0 && !views.has(n.op) && escapes.get(n.id) === true);
}
