/**
 * The wire form of a compiled density (`sampo.ir/1`): its differentiated,
 * simplified IR as plain JSON data, for machines that must not run code
 * they are sent. The receiver checks the document as hostile input and
 * generates the JavaScript with its own code generator: nothing received is
 * run as code. Only numbers, node ids, op names from a closed list and names
 * (which generated code never contains) cross.
 *
 * Node ids are the sender's: generated code names its variables by node id,
 * so the receiver's source, and with it `modelHash`, is the sender's.
 * @module
 */
import type { Model, Outputs } from "../dsl/model.ts";
import { WireError } from "../errors.ts";
import { buildGraph, type ModelGraph } from "../interpreters/graph.ts";
import type { ArgOf, Node, Op } from "../ir/node.ts";
import type { TransformType } from "../tensor/layout.ts";
import type { PlainDensity } from "./density.ts";
import { type DensityGraph, densityGraph } from "./densityGraph.ts";
import { plainOf } from "./js/plain.ts";
import { deps, encodeNumber, guard, nameProblem, readWire, show, WIRE_FORMAT, type WireLimits, type WireNumber } from "./wireCheck.ts";

// The reader owns the format tag and the limits it enforces.
export { WIRE_FORMAT, type WireLimits };

/** Payloads on the wire: numbers, ids and names; arrays by their place in the document's `consts`, `indices` or `data`. */
export interface WireArgOf {
  const: { readonly values: number };
  param: { readonly offset: number; readonly site: string };
  data: { readonly index: number; readonly name: string };
  sum: { readonly axis: number | null };
  logSumExp: { readonly axis: number | null };
  gather: { readonly indices: number };
  scatterAdd: { readonly indices: number; readonly length: number };
  triSolve: { readonly transpose: boolean };
  placeholder: { readonly unique: number };
  /** The body's nodes by id: they are nodes of the document too, before the scan. */
  scan: {
    readonly length: number;
    readonly carry: readonly number[];
    readonly slices: readonly number[];
    readonly nextCarry: readonly number[];
    readonly outputs: readonly number[];
    readonly free: number;
  };
  scanResult: { readonly index: number };
}

/** One IR node. */
export interface WireNode {
  readonly id: number;
  readonly op: Op;
  readonly shape: readonly number[];
  /** Ids of the sources, each of an earlier node of the document. */
  readonly src: readonly number[];
  /** The op's payload; absent for ops without one. */
  readonly arg?: WireArgOf[keyof WireArgOf];
}

/** A layout entry, its bounds as {@link WireNumber}s. */
export interface WireLayoutEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly size: number;
  readonly transform: { readonly type: TransformType; readonly lower?: WireNumber; readonly upper?: WireNumber };
}

/** A density as plain JSON-safe data: what crosses machines instead of generated source. */
export interface WireDensity {
  readonly format: typeof WIRE_FORMAT;
  /** Every node the density needs (log p, gradients, values, scan bodies, parameter and data leaves), sources first. */
  readonly nodes: readonly WireNode[];
  /** Constant arrays, each once however many nodes share it: the code generator numbers its tables by array identity. */
  readonly consts: readonly (readonly WireNumber[])[];
  /** Index arrays of gather and scatterAdd, shared likewise. */
  readonly indices: readonly (readonly number[])[];
  /** Data values by data index (finite, −0 as "-0"). */
  readonly data: readonly (readonly WireNumber[])[];
  /** Parameter leaves in θ order (`graph.params`). */
  readonly params: readonly number[];
  readonly layout: readonly WireLayoutEntry[];
  /** Constrained values, parameters then deterministics in model order, as `[name, node id]`. */
  readonly values: readonly (readonly [string, number])[];
  /** log p. */
  readonly logp: number;
  /** ∇ log p for each entry of `params`; null where log p does not depend on it. */
  readonly grads: readonly (number | null)[];
  /** log p and ∇ log p in the careful form (DensityGraph.careful), where the density has one. */
  readonly careful?: { readonly logp: number; readonly grads: readonly (number | null)[] };
}

// ---------------------------------------------------------------------------
// Writing.

/** The wire form of a model with its data (buildGraph → densityGraph → serialize). Throws WireError for names that cannot travel. */
export function wireDensity<D, O extends Outputs>(mdl: Model<D, O>, data: D): WireDensity {
  const mg = buildGraph(mdl, data);
  return wireOf(mg, densityGraph(mg));
}

/** Arrays numbered by identity, so that sharing survives the trip. */
class Pool<A> {
  readonly list: A[] = [];
  private readonly index = new Map<A, number>();
  at(a: A): number {
    let k = this.index.get(a);
    if (k === undefined) this.index.set(a, (k = this.list.push(a) - 1));
    return k;
  }
}

interface Pools {
  readonly consts: Pool<Float64Array>;
  readonly indices: Pool<Int32Array>;
}

/** A name checked at the sender, so that a model whose names the receiver would reject fails here. */
function sendable(s: string, path: string): string {
  const why = nameProblem(s);
  if (why !== undefined) throw new WireError(path, `${why}: ${show(s)} (rename the site to send this model)`);
  return s;
}

const ids = (ns: readonly Node[]) => ns.map((n) => n.id);

/** Each payload on the wire; a missing op is a compile error. */
const writeArg: { readonly [K in keyof ArgOf]: (a: ArgOf[K], p: Pools, path: string) => WireArgOf[K] } = {
  const: (a, p) => ({ values: p.consts.at(a.values) }),
  param: (a, _p, path) => ({ offset: a.offset, site: sendable(a.site, `${path}.site`) }),
  data: (a, _p, path) => ({ index: a.index, name: sendable(a.name, `${path}.name`) }),
  sum: (a) => ({ axis: a.axis }),
  logSumExp: (a) => ({ axis: a.axis }),
  gather: (a, p) => ({ indices: p.indices.at(a.indices) }),
  scatterAdd: (a, p) => ({ indices: p.indices.at(a.indices), length: a.length }),
  triSolve: (a) => ({ transpose: a.transpose }),
  placeholder: (a) => ({ unique: a.unique }),
  scan: (a) => ({
    length: a.length,
    carry: ids(a.carry),
    slices: ids(a.slices),
    nextCarry: ids(a.nextCarry),
    outputs: ids(a.outputs),
    free: a.free,
  }),
  scanResult: (a) => ({ index: a.index }),
};

/** Every node reachable from `roots` through {@link deps}, each after what it needs (iterative: long chains must not overflow the stack). */
function dependencyOrder(roots: readonly Node[]): Node[] {
  const seen = new Set<number>();
  const order: Node[] = [];
  for (const root of roots) {
    if (seen.has(root.id)) continue;
    seen.add(root.id);
    const stack = [{ node: root, deps: deps(root), next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.deps.length) {
        const d = top.deps[top.next++];
        if (!seen.has(d.id)) {
          seen.add(d.id);
          stack.push({ node: d, deps: deps(d), next: 0 });
        }
      } else {
        order.push(top.node);
        stack.pop();
      }
    }
  }
  return order;
}

/** The wire form of a model graph and its differentiated IR. */
function wireOf(mg: ModelGraph, dg: DensityGraph): WireDensity {
  const G = mg.graph;
  const pools: Pools = { consts: new Pool(), indices: new Pool() };
  const nodes = dependencyOrder([...dg.roots, ...G.params, ...G.data]).map((n, i): WireNode => {
    const write = Object.hasOwn(writeArg, n.op)
      ? (writeArg[n.op as keyof ArgOf] as (a: unknown, p: Pools, path: string) => WireArgOf[keyof ArgOf])
      : undefined;
    const base = { id: n.id, op: n.op, shape: [...n.shape], src: ids(n.src) };
    return write === undefined ? base : { ...base, arg: write(n.arg, pools, `nodes[${i}].arg`) };
  });
  const names = [...mg.values.keys()];
  return {
    format: WIRE_FORMAT,
    nodes,
    consts: pools.consts.list.map((v) => Array.from(v, encodeNumber)),
    indices: pools.indices.list.map((v) => Array.from(v)),
    data: G.data.map((d) => Array.from(d.arg.values, encodeNumber)),
    params: ids(G.params),
    layout: mg.layout.map((e, k) => {
      const { type, lower, upper } = e.transform;
      const transform = {
        type,
        ...(lower === undefined ? {} : { lower: encodeNumber(lower) }),
        ...(upper === undefined ? {} : { upper: encodeNumber(upper) }),
      };
      return { name: sendable(e.name, `layout[${k}].name`), shape: [...e.shape], offset: e.offset, size: e.size, transform };
    }),
    values: dg.values.map((v, k) => [sendable(names[k], `values[${k}][0]`), v.id] as const),
    logp: dg.logp.id,
    grads: dg.grads.map((g) => (g === null ? null : g.id)),
    ...(dg.careful === undefined
      ? {}
      : { careful: { logp: dg.careful.logp.id, grads: dg.careful.grads.map((g) => (g === null ? null : g.id)) } }),
  };
}

// ---------------------------------------------------------------------------
// Reading.

/** Validates untrusted JSON (already JSON.parse'd, type unknown) and compiles it with this process's own code generator. Throws WireError. */
export function plainFromWire(json: unknown, limits: WireLimits = {}): PlainDensity {
  const { mg, dg } = guard("", "malformed", () => readWire(json, limits));
  // The checks above should leave the code generator nothing to trip on; if it does, the input is still at fault.
  return guard("nodes", "code generation failed", () => plainOf(mg, dg));
}
