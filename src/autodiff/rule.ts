/**
 * The shape of a reverse-mode rule, shared by the rule table (`vjp.ts`) and
 * the rule of `scan` (`scanVjp.ts`), which calls back into the AD driver.
 * @module
 */
import type { Graph } from "../ir/graph.ts";
import type { Node, Op } from "../ir/node.ts";

/** What rules for multi-result ops (scan) need from the AD driver. */
export interface VjpContext {
  /** Records the cotangent of result `index` of a scan. */
  addResultCot(scan: Node, index: number, g: Node): void;
  /** The cotangents recorded for a scan's results (holes where none). */
  resultCots(scan: Node): readonly (Node | null | undefined)[];
  /** Reverse-mode AD of a sub-graph (a loop body). */
  vjp(roots: readonly Node[], seeds: readonly (Node | null)[], wrt: readonly Node[]): (Node | null)[];
}

/** The VJP of one op. */
export type VjpRule<K extends Op> = (n: Node<K>, g: Node, G: Graph, need: readonly boolean[], ctx: VjpContext) => readonly (Node | null)[];
