/**
 * Loop fusion: the elementwise nodes of one shape and the full sums over
 * that shape are computed in as few loops as dependencies allow. A log
 * density and its gradient are mostly such nodes (the forward terms, each
 * parameter's gradient terms and sums), so this turns many passes over the
 * data into one, as a hand-written gradient would do.
 *
 * A node goes in the first loop after every loop it depends on: a sum's
 * value, or an array another op builds from a loop's values, exists only
 * once that loop has ended. Within a loop a value read twice is a local, a
 * value read once is inlined where it is read, and a value read outside the
 * loop (or by the caller) is stored into an array.
 * @module
 */
import { type Shape, sameShape } from "../../tensor/shape.ts";
import { type Arg, isBinary, isUnary, type Node } from "../../ir/node.ts";
import type { Kind } from "./plan.ts";

/** How a member of a fused loop is realized. */
export type Role = "inline" | "local" | "store";

/** One fused loop. */
export interface FusedLoop {
  readonly shape: Shape;
  /** Rowwise nodes (see {@link isRowwise}) and full sums, in evaluation order. */
  readonly members: readonly Node[];
  /** Per rowwise member: inlined, a local of the body, or stored into its array (and a local). */
  readonly role: ReadonlyMap<number, Role>;
  /** Members read inside the loop (so a stored member is also kept in a local). */
  readonly readInside: ReadonlySet<number>;
}

const isElementwise = (n: Node) => isUnary(n.op) || isBinary(n.op);

/**
 * The first row of a scatterAdd into consecutive rows (a zero padding of
 * its input), else −1. Such a scatter and a concat compute each element
 * from one element of one input, so they fuse like elementwise ops.
 */
export function padStart(n: Node): number {
  if (n.op !== "scatterAdd") return -1;
  const idx = (n.arg as Arg<"scatterAdd">).indices;
  return idx.every((v, k) => v === idx[0] + k) ? idx[0] : -1;
}

/** Whether a node computes element i from element i of its inputs, or of one input (concat, padding). */
export const isRowwise = (n: Node) => isElementwise(n) || n.op === "concat" || padStart(n) >= 0;
const isFullSum = (n: Node) => n.op === "sum" && (n.arg as Arg<"sum">).axis === null && n.src[0].shape.length > 0;

/** Most members of one fused loop. */
const LOOP_MEMBERS = 128;

/** Ops that read each element of their input once, in their own loop: a value only they read is inlined into them. */
const streaming = new Set<string>(["sum", "sumTo", "logSumExp", "cumsum", "concat", "scatterAdd", "cholesky"]);

/**
 * Fused loops of the nodes in `order` (topological). `sinks` are nodes the
 * caller writes out elementwise (inside their loop); other `roots` are read
 * by the caller after the loops.
 */
export function findFusedLoops(
  order: readonly Node[],
  kind: ReadonlyMap<number, Kind>,
  roots: readonly Node[],
  sinks: ReadonlySet<number>,
): FusedLoop[] {
  const uses = new Map<number, Node[]>();
  for (const n of order) {
    for (const s of n.src) {
      const us = uses.get(s.id);
      if (us === undefined) uses.set(s.id, [n]);
      else us.push(n);
    }
  }
  const rootIds = new Set(roots.map((r) => r.id));
  // A value read once, by an op with its own loop (other than a full sum), is inlined into that op instead.
  const streamedInto = (n: Node) => {
    const us = uses.get(n.id) ?? [];
    return !rootIds.has(n.id) && us.length === 1 && streaming.has(us[0].op) && !isFullSum(us[0]);
  };
  // The loop shape of each node that can be in a fused loop.
  const loopShape = new Map<number, Shape>();
  const shapes = new Map<string, Shape>();
  for (const n of order) {
    const k = kind.get(n.id);
    if (k === "pre" || k === "kernel") continue;
    let s: Shape | undefined;
    if (isFullSum(n)) s = n.src[0].shape;
    else if (isRowwise(n) && n.shape.length > 0 && k !== "leaf" && k !== "literal" && !streamedInto(n)) s = n.shape;
    if (s === undefined) continue;
    loopShape.set(n.id, s);
    shapes.set(s.join("x"), s);
  }

  const loops: FusedLoop[] = [];
  for (const shape of shapes.values()) {
    const isMember = (n: Node) => {
      const s = loopShape.get(n.id);
      return s !== undefined && sameShape(s, shape);
    };
    // level: the loop of a member; after: the last loop a non-member's value waits for (−1: none).
    const level = new Map<number, number>();
    const after = new Map<number, number>();
    for (const n of order) {
      const member = isMember(n);
      let l = member ? 0 : -1;
      for (const s of n.src) {
        const sl = level.get(s.id);
        if (sl !== undefined) l = Math.max(l, sl);
        else l = Math.max(l, (after.get(s.id) ?? -1) + (member ? 1 : 0));
      }
      (member ? level : after).set(n.id, l);
    }
    const byLevel: Node[][] = [];
    for (const n of order) {
      const l = level.get(n.id);
      if (l !== undefined) (byLevel[l] ??= []).push(n);
    }
    // A loop body too long for V8 to optimize, or for a split function part, is cut in order (values crossing a cut are stored).
    const chunks = byLevel
      .filter((m) => m !== undefined)
      .flatMap((m) =>
        Array.from({ length: Math.ceil(m.length / LOOP_MEMBERS) }, (_, k) => m.slice(k * LOOP_MEMBERS, (k + 1) * LOOP_MEMBERS)),
      );
    for (const members of chunks) {
      const inLoop = new Set(members.map((m) => m.id));
      const role = new Map<number, Role>();
      const readInside = new Set<number>();
      for (const m of members) {
        if (isFullSum(m)) continue;
        const us = uses.get(m.id) ?? [];
        const inside = us.filter((u) => inLoop.has(u.id)).length + (sinks.has(m.id) ? 1 : 0);
        const outside = us.some((u) => !inLoop.has(u.id)) || (rootIds.has(m.id) && !sinks.has(m.id));
        if (inside > 0) readInside.add(m.id);
        role.set(m.id, outside ? "store" : inside > 1 ? "local" : "inline");
      }
      loops.push({ shape, members, role, readInside });
    }
  }
  return loops;
}
