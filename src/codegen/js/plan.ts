/**
 * How each IR node is realized in generated JavaScript: as a scalar local, a
 * preallocated buffer filled by a loop, an expression fused into its single
 * consumer's loop, or a view (an index mapping onto another array).
 * @module
 */
import { type Arg, isBinary, isUnary, type Node, type Op } from "../../ir/node.ts";
import { topoSort, useCounts } from "../../ir/walk.ts";
import type { Shape } from "../../tensor/shape.ts";

/**
 * The realization of a node. `pre`: computed once per data set by `prepare`
 * (it depends on data and constants only) and read from its array or scalar.
 * `kernel`: an elementwise node computed whole into its buffer by one of the
 * arena's WebAssembly kernels (dense mode), not in a loop of the generated code.
 */
export type Kind =
  "literal" | "scalar" | "leaf" | "buffer" | "inline" | "view" | "scan" | "result" | "placeholder" | "local" | "pre" | "kernel";

/** Ops that read each element of their input exactly once, in a loop: inputs may be fused into them. */
const streaming = new Set<string>(["sum", "sumTo", "logSumExp", "cumsum", "concat", "scatterAdd", "cholesky"]);
/** Ops read in place from their source (no buffer of their own). */
const viewOps = ["broadcast", "reshape", "transpose", "gather"] as const;
/** An op read in place from its source. */
export type ViewOp = (typeof viewOps)[number];
const views = new Set<string>(viewOps);

/** Whether an op is read in place from its source. */
export function isView(op: Op): op is ViewOp {
  return views.has(op);
}

/**
 * The source index a broadcast reads for element `idx` of its result:
 * shapes align on the right, and a source axis of size 1 reads index 0.
 * (Index expressions are text, so every backend's emitter shares it.)
 */
export function broadcastSourceIndex(to: Shape, from: Shape, idx: readonly string[]): string[] {
  const lead = to.length - from.length;
  return from.map((d, k) => (d === 1 ? "0" : idx[lead + k]));
}

/** A plan: nodes in evaluation order and the kind of each. */
export interface Plan {
  readonly order: readonly Node[];
  readonly kind: ReadonlyMap<number, Kind>;
}

/** Whether a constant has one value throughout (it is emitted as a number literal). */
export function isUniform(n: Node): boolean {
  const v = n.op === "const" ? (n.arg as Arg<"const">).values : undefined;
  return v !== undefined && v.every((x) => Object.is(x, v[0]));
}

/**
 * Chooses a realization for every node reachable from `roots` (whose
 * consumers stream); nodes where `stop` holds are planned but not looked
 * through, and `pre` nodes are read from what `prepare` computed.
 */
export function plan(roots: readonly Node[], stop?: (n: Node) => boolean, pre: ReadonlySet<number> = new Set()): Plan {
  const order = topoSort(roots, (n) => pre.has(n.id) || (stop?.(n) ?? false));
  const uses = useCounts(order, roots);
  const consumer = new Map<number, Node>();
  for (const n of order) for (const s of n.src) consumer.set(s.id, n);
  const rootIds = new Set(roots.map((r) => r.id));
  const kind = new Map<number, Kind>();
  for (const n of order) {
    const scalar = n.shape.length === 0;
    let k: Kind;
    if (pre.has(n.id)) k = "pre";
    else if (n.op === "const") k = isUniform(n) ? "literal" : "leaf";
    else if (n.op === "scan") k = "scan";
    else if (n.op === "scanResult") k = "result";
    else if (n.op === "placeholder") k = "placeholder";
    else if (n.op === "param" || n.op === "data") k = "leaf";
    else if (scalar) k = "scalar";
    else if (isView(n.op)) k = "view";
    else if (isUnary(n.op) || isBinary(n.op)) {
      const c = consumer.get(n.id);
      const single = uses.get(n.id) === 1;
      const fusable = rootIds.has(n.id) ? c === undefined : c !== undefined && (isUnary(c.op) || isBinary(c.op) || streaming.has(c.op));
      k = single && fusable ? "inline" : "buffer";
    } else k = "buffer";
    kind.set(n.id, k);
  }
  // A view whose source is an inline expression would recompute it per access: materialize the source.
  for (const n of order) {
    if (kind.get(n.id) === "view" && kind.get(n.src[0].id) === "inline") kind.set(n.src[0].id, "buffer");
  }
  return { order, kind };
}
