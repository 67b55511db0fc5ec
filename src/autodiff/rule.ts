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
  /** Whether reverse scans carry cotangents as signed logs (see {@link GradientOptions}). */
  readonly signedLogScans: boolean;
  /** Reverse-mode AD of a sub-graph (a loop body). */
  vjp(roots: readonly Node[], seeds: readonly (Node | null)[], wrt: readonly Node[]): (Node | null)[];
}

/** Options of reverse-mode AD. */
export interface GradientOptions {
  /**
   * Scans' cotangents carried as sign and log-magnitude (signedLog.ts), for
   * the careful gradient: finite where a carried cotangent exceeds the
   * largest double before a factor that underflows multiplies it, at a few
   * operations more per step.
   */
  readonly signedLogScans?: boolean;
}

/** The VJP of one op. */
export type VjpRule<K extends Op> = (n: Node<K>, g: Node, G: Graph, need: readonly boolean[], ctx: VjpContext) => readonly (Node | null)[];
