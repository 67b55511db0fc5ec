/**
 * The receiving side of the wire form: checks an untrusted document (any
 * JSON) field by field and rebuilds the IR the code generator reads. Every
 * failure is a {@link WireError} naming the path of the offending field;
 * limits are enforced before any work proportional to what they bound.
 * @module
 */
import { WireError } from "../errors.ts";
import type { ModelGraph } from "../interpreters/graph.ts";
import { Graph } from "../ir/graph.ts";
import { type ArgOf, isBinary, isUnary, type Node, type Op, type ScanArg } from "../ir/node.ts";
import { verifyIR } from "../ir/verify.ts";
import type { LayoutEntry, TransformSpec, TransformType } from "../tensor/layout.ts";
import { binaryOps, type BinaryOp, unaryOps, type UnaryOp } from "../tensor/ops.ts";
import { sameShape, type Shape, showShape, sizeOf } from "../tensor/shape.ts";
import { getTransform } from "../transforms/index.ts";
import type { DensityGraph } from "./densityGraph.ts";

/** The format tag of the wire form; a reader rejects any other. */
export const WIRE_FORMAT = "sampo.ir/1";

/**
 * A float64 on the wire. JSON has no NaN, ±Infinity or −0 (`JSON.stringify`
 * writes null, null and 0), so those travel as the strings `"NaN"`,
 * `"Infinity"`, `"-Infinity"` and `"-0"`; every other number as itself,
 * which `JSON.stringify` writes as the shortest decimal that reads back to
 * the same bits. (Strings inside the arrays, not losslessJson's `{"$num":…}`
 * objects: the document stays plain JSON that any parser reads, and the
 * arrays stay flat and cheap to check.)
 */
export type WireNumber = number | "NaN" | "Infinity" | "-Infinity" | "-0";

const special = new Map<string, number>([
  ["NaN", NaN],
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
  ["-0", -0],
]);

/** The wire form of a float64 (see {@link WireNumber}). */
export function encodeNumber(x: number): WireNumber {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  return Object.is(x, -0) ? "-0" : x;
}

/** Which float64 values a field admits. */
export type NumberKind = "any" | "notNaN" | "finite";

/** Reads a {@link WireNumber} at `path`, admitting the values of `kind`. */
export function decodeNumber(x: unknown, path: string, kind: NumberKind): number {
  // A JSON number is finite (JSON.parse never yields NaN or ±Infinity), but the input may not come from JSON.parse.
  const v = typeof x === "number" && Number.isFinite(x) ? x : typeof x === "string" ? special.get(x) : undefined;
  if (v === undefined) return fail(path, `expected a number or one of "NaN", "Infinity", "-Infinity", "-0", got ${show(x)}`);
  if (kind !== "any" && Number.isNaN(v)) return fail(path, "NaN is not allowed here");
  if (kind === "finite" && !Number.isFinite(v)) return fail(path, `${x as string} is not allowed here (finite numbers only)`);
  return v;
}

/** Throws a WireError at `path`. */
export function fail(path: string, what: string): never {
  throw new WireError(path, what);
}

/** The path of field `key` of the object at `path`. */
export function field(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/** A short description of an unexpected value, for messages (never more than a few dozen characters of it). */
export function show(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "an array";
  if (typeof x === "string") return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
  if (typeof x === "object") return "an object";
  return `${typeof x} ${String(x)}`;
}

/**
 * A plain object with exactly the `required` keys and possibly `optional`
 * ones: an unknown key (a smuggled `source`, say) is an error, not ignored.
 */
export function record(
  x: unknown,
  path: string,
  required: readonly string[],
  optional: readonly string[] = [],
): Readonly<Record<string, unknown>> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return fail(path, `expected an object, got ${show(x)}`);
  const proto = Object.getPrototypeOf(x) as unknown;
  if (proto !== Object.prototype && proto !== null) return fail(path, "expected a plain object");
  // Own keys only: JSON.parse makes `__proto__` an own key, which is then unknown like any other.
  for (const key of Object.keys(x)) {
    if (!required.includes(key) && !optional.includes(key)) return fail(field(path, key), "unknown field");
  }
  for (const key of required) if (!Object.hasOwn(x, key)) return fail(field(path, key), "missing field");
  return x as Readonly<Record<string, unknown>>;
}

/** An array of at most `max` elements (checked before anything looks at them). */
export function list(x: unknown, path: string, max: number): readonly unknown[] {
  if (!Array.isArray(x)) return fail(path, `expected an array, got ${show(x)}`);
  if (x.length > max) return fail(path, `${x.length} elements, more than the limit of ${max}`);
  return x;
}

/** An integer in `[min, max]`. */
export function int(x: unknown, path: string, min: number, max: number): number {
  if (typeof x !== "number" || !Number.isSafeInteger(x)) return fail(path, `expected an integer, got ${show(x)}`);
  if (x < min || x > max) return fail(path, `${x} is outside [${min}, ${max}]`);
  return x;
}

/** A boolean. */
export function bool(x: unknown, path: string): boolean {
  if (typeof x !== "boolean") return fail(path, `expected true or false, got ${show(x)}`);
  return x;
}

/** Longest name accepted. */
const MAX_NAME = 256;

/**
 * Characters no name may hold: control characters and line separators, and
 * the quotes, escapes and brackets that would matter in JavaScript or HTML.
 * Generated code never contains names (they stay in tables), so this is
 * defense in depth, not what keeps the receiver safe.
 */
const badNameChar = /[\u0000-\u001f\u007f-\u009f\u2028\u2029"'`\\;(){}<>]/;

/** Why `name` cannot travel on the wire, or undefined when it can. */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return "a name must not be empty";
  if (name.length > MAX_NAME) return `a name must be at most ${MAX_NAME} characters`;
  const bad = badNameChar.exec(name);
  return bad === null ? undefined : `character ${JSON.stringify(bad[0])} is not allowed in a name`;
}

/** A site or data name (see {@link nameProblem}). */
export function name(x: unknown, path: string): string {
  if (typeof x !== "string") return fail(path, `expected a name, got ${show(x)}`);
  const why = nameProblem(x);
  return why === undefined ? x : fail(path, `${why}: ${show(x)}`);
}

// ---------------------------------------------------------------------------
// Limits, and what the writer shares.

/** What a receiver accepts at most; checked before any work proportional to what it bounds. */
export interface WireLimits {
  /** Nodes (default 1e6); also bounds every other list of the document. */
  readonly maxNodes?: number;
  /** Numbers carried in all: constants, index tables and data (default 5e7). */
  readonly maxElements?: number;
  /** Elements of one node, the buffer generated code allocates for it, and steps of one scan (default 5e7). */
  readonly maxNodeSize?: number;
  /** Dimensions of a shape (default 32). */
  readonly maxRank?: number;
}

const defaultLimits: Required<WireLimits> = { maxNodes: 1e6, maxElements: 5e7, maxNodeSize: 5e7, maxRank: 32 };

/** What a node needs before it: its sources and, for a scan, its body (which is not among its sources). */
export function deps(n: Node): readonly Node[] {
  if (n.op !== "scan") return n.src;
  const a = n.arg as ScanArg;
  return [...n.src, ...a.carry, ...a.slices, ...a.nextCarry, ...a.outputs];
}

/** Runs `f`, turning any error but a WireError into one at `path`. */
export function guard<T>(path: string, what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof WireError) throw e;
    throw new WireError(path, `${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

// ---------------------------------------------------------------------------
// The IR.

/** Where a node's payload is read, and what it is read against. */
interface ArgContext {
  readonly path: string;
  readonly shape: Shape;
  readonly src: readonly Node[];
  readonly r: WireReader;
}

/**
 * How each op is checked: its number of sources (`"some"` is one or more,
 * `"payload"` is fixed by the payload), its payload, and what else its
 * shapes must satisfy before {@link verifyIR}, which checks the rest.
 */
type Rule<K extends Op> = {
  readonly arity: number | "some" | "payload";
  readonly check?: (shape: Shape, src: readonly Node[]) => string | undefined;
} & (K extends keyof ArgOf ? { readonly arg: (x: unknown, c: ArgContext) => ArgOf[K] } : { readonly arg?: undefined });

const reduction = (x: unknown, c: ArgContext): { readonly axis: number | null } => {
  const a = record(x, c.path, ["axis"]);
  return { axis: a.axis === null ? null : int(a.axis, field(c.path, "axis"), 0, c.src[0].shape.length - 1) };
};

/**
 * Every op but the models' elementwise ones (`tensor/ops.ts`), the IR-only
 * elementwise ops included: typed over `Op`, so a new op is a compile error
 * here until the wire knows it. The known ops are this table's keys plus
 * `unaryOps` and `binaryOps`.
 */
const rules: { readonly [K in Exclude<Op, UnaryOp | BinaryOp>]: Rule<K> } = {
  const: {
    arity: 0,
    arg: (x, c) => {
      const path = field(c.path, "values");
      const values = c.r.constArray(record(x, c.path, ["values"]).values, path);
      if (values.length !== sizeOf(c.shape))
        fail(path, `that constant has ${values.length} numbers, shape ${showShape(c.shape)} needs ${sizeOf(c.shape)}`);
      return { values };
    },
  },
  param: {
    arity: 0,
    check: (shape) => (shape.length === 1 ? undefined : "a param must be a vector"),
    arg: (x, c) => {
      const a = record(x, c.path, ["offset", "site"]);
      return { offset: int(a.offset, field(c.path, "offset"), 0, Number.MAX_SAFE_INTEGER), site: name(a.site, field(c.path, "site")) };
    },
  },
  data: {
    arity: 0,
    arg: (x, c) => {
      const a = record(x, c.path, ["index", "name"]);
      const index = int(a.index, field(c.path, "index"), 0, c.r.data.length - 1);
      const values = c.r.claimData(index, field(c.path, "index"));
      if (values.length !== sizeOf(c.shape))
        fail(field(c.path, "index"), `data[${index}] has ${values.length} numbers, shape ${showShape(c.shape)} needs ${sizeOf(c.shape)}`);
      return { index, name: name(a.name, field(c.path, "name")), values };
    },
  },
  placeholder: {
    arity: 0,
    arg: (x, c) => ({ unique: int(record(x, c.path, ["unique"]).unique, field(c.path, "unique"), 0, Number.MAX_SAFE_INTEGER) }),
  },
  sign: { arity: 1 },
  step: { arity: 1 },
  tetragamma: { arity: 1 },
  broadcast: { arity: 1 },
  sumTo: { arity: 1 },
  reshape: { arity: 1 },
  sum: { arity: 1, arg: reduction },
  logSumExp: { arity: 1, arg: reduction },
  gather: {
    arity: 1,
    check: (_shape, src) => (src[0].shape.length >= 1 ? undefined : "gather of a scalar"),
    arg: (x, c) => {
      const path = field(c.path, "indices");
      const indices = c.r.indexArray(record(x, c.path, ["indices"]).indices, path);
      const rows = c.src[0].shape[0];
      const bad = indices.findIndex((i) => i >= rows);
      if (bad >= 0) fail(path, `element ${bad} of that index table is ${indices[bad]}, out of range for a source of ${rows} rows`);
      return { indices };
    },
  },
  scatterAdd: {
    arity: 1,
    check: (_shape, src) => (src[0].shape.length >= 1 ? undefined : "scatterAdd of a scalar"),
    arg: (x, c) => {
      const a = record(x, c.path, ["indices", "length"]);
      const length = int(a.length, field(c.path, "length"), 0, c.r.lim.maxNodeSize);
      const path = field(c.path, "indices");
      const indices = c.r.indexArray(a.indices, path);
      if (indices.length !== c.src[0].shape[0])
        fail(path, `that index table has ${indices.length} entries for a source of ${c.src[0].shape[0]} rows`);
      const bad = indices.findIndex((i) => i >= length);
      if (bad >= 0) fail(path, `element ${bad} of that index table is ${indices[bad]}, out of range for length ${length}`);
      return { indices, length };
    },
  },
  concat: { arity: "some" },
  transpose: { arity: 1 },
  matmul: {
    arity: 2,
    check: (_shape, src) =>
      src.every((s) => s.shape.length === 1 || s.shape.length === 2) ? undefined : "matmul of vectors and matrices only",
  },
  cholesky: { arity: 1 },
  triSolve: { arity: 2, arg: (x, c) => ({ transpose: bool(record(x, c.path, ["transpose"]).transpose, field(c.path, "transpose")) }) },
  cumsum: { arity: 1 },
  scan: {
    arity: "payload",
    arg: (x, c): ScanArg => {
      const a = record(x, c.path, ["length", "carry", "slices", "nextCarry", "outputs", "free"]);
      const length = int(a.length, field(c.path, "length"), 0, c.r.lim.maxNodeSize);
      const carry = c.r.refs(a.carry, field(c.path, "carry")).map((p, k) => c.r.bind(p, `${field(c.path, "carry")}[${k}]`));
      const slices = c.r.refs(a.slices, field(c.path, "slices")).map((p, k) => c.r.bind(p, `${field(c.path, "slices")}[${k}]`));
      const nextCarry = c.r.refs(a.nextCarry, field(c.path, "nextCarry"));
      if (nextCarry.length !== carry.length)
        fail(field(c.path, "nextCarry"), `${nextCarry.length} next carries for ${carry.length} carries`);
      const outputs = c.r.refs(a.outputs, field(c.path, "outputs"));
      const free = int(a.free, field(c.path, "free"), 0, c.src.length);
      if (c.src.length !== carry.length + slices.length + free)
        fail(c.path, `${c.src.length} sources, not carries + sequences + free values`);
      return { length, carry, slices, nextCarry, outputs, free };
    },
  },
  scanResult: {
    arity: 1,
    arg: (x, c) => {
      const path = field(c.path, "index");
      const index = int(record(x, c.path, ["index"]).index, path, 0, Number.MAX_SAFE_INTEGER);
      const scan = c.src[0];
      if (scan.op !== "scan") fail(c.path, `the source of a scanResult is a ${scan.op}, not a scan`);
      const a = scan.arg as ScanArg;
      // Final carries, then stacked outputs, then carry histories.
      const shapes = [...a.carry.map((p) => p.shape), ...[...a.outputs, ...a.carry].map((o) => [a.length, ...o.shape])];
      if (index >= shapes.length) fail(path, `${index} is out of range for a scan with ${shapes.length} results`);
      if (!sameShape(shapes[index], c.shape))
        fail(path, `result ${index} of that scan has shape ${showShape(shapes[index])}, the node says ${showShape(c.shape)}`);
      return { index };
    },
  },
};

const elementwise1: Rule<"exp"> = { arity: 1 };
const elementwise2: Rule<"add"> = { arity: 2 };
const ops = new Set<string>([...unaryOps, ...binaryOps, ...Object.keys(rules)]);

function ruleOf(op: Op): Rule<Op> {
  if (isUnary(op)) return elementwise1 as Rule<Op>;
  if (isBinary(op)) return elementwise2 as Rule<Op>;
  return rules[op] as Rule<Op>;
}

/** Bounds each transform may carry; typed over `TransformType`, so a new transform is a compile error here. */
const transformBounds: { readonly [T in TransformType]: readonly ("lower" | "upper")[] } = {
  identity: [],
  log: [],
  lower: ["lower"],
  upper: ["upper"],
  lowerUpper: ["lower", "upper"],
  logit: [],
  ordered: [],
  positiveOrdered: [],
  simplex: [],
  choleskyCorr: [],
};

/** Nodes as they are read, and what they have used up. */
class WireReader {
  readonly nodes: Node[] = [];
  /** Position in `nodes` of each id. */
  private readonly at = new Map<number, number>();
  private readonly used = { consts: new Set<number>(), indices: new Set<number>() };
  private readonly dataNode: (number | undefined)[];
  /** Placeholders bound by some scan (a reverse-mode scan binds its forward scan's as slices, so by one or more). */
  private readonly bound = new Set<number>();

  constructor(
    readonly lim: Required<WireLimits>,
    private readonly pools: { readonly consts: Float64Array[]; readonly indices: Int32Array[] },
    readonly data: readonly Float64Array[],
  ) {
    this.dataNode = data.map(() => undefined);
  }

  /** Position in `nodes` of a node. */
  position(n: Node): number {
    return this.at.get(n.id) as number;
  }

  /** The node of an id that an earlier entry of `nodes` defined. */
  ref(x: unknown, path: string): Node {
    const id = int(x, path, 0, Number.MAX_SAFE_INTEGER);
    const k = this.at.get(id);
    return k === undefined
      ? fail(path, `node ${id} is not an earlier entry of nodes (a forward or cyclic reference, or no such node)`)
      : this.nodes[k];
  }

  refs(x: unknown, path: string): Node[] {
    return list(x, path, this.lim.maxNodes).map((v, k) => this.ref(v, `${path}[${k}]`));
  }

  /** A constant array, by its place in `consts`. */
  constArray(x: unknown, path: string): Float64Array {
    return this.pools.consts[this.use("consts", x, path)];
  }

  /** An index array, by its place in `indices`. */
  indexArray(x: unknown, path: string): Int32Array {
    return this.pools.indices[this.use("indices", x, path)];
  }

  private use(pool: "consts" | "indices", x: unknown, path: string): number {
    const k = int(x, path, 0, this.pools[pool].length - 1);
    this.used[pool].add(k);
    return k;
  }

  /** The data nodes by data index (once {@link leftovers} found each). */
  dataNodes(): Node<"data">[] {
    return this.dataNode.map((i) => this.nodes[i as number] as Node<"data">);
  }

  /** Data array `index`, read by one data node only. */
  claimData(index: number, path: string): Float64Array {
    const other = this.dataNode[index];
    if (other !== undefined) fail(path, `data[${index}] is already read by nodes[${other}]`);
    this.dataNode[index] = this.nodes.length;
    return this.data[index];
  }

  /** A placeholder bound by the scan being read. */
  bind(p: Node, path: string): Node<"placeholder"> {
    if (p.op !== "placeholder") fail(path, `node ${p.id} is a ${p.op}, not a placeholder`);
    this.bound.add(p.id);
    return p as Node<"placeholder">;
  }

  /** A shape within the limits. */
  shape(x: unknown, path: string): Shape {
    const dims = list(x, path, this.lim.maxRank).map((d, k) => int(d, `${path}[${k}]`, 0, this.lim.maxNodeSize));
    if (sizeOf(dims) > this.lim.maxNodeSize) fail(path, `${showShape(dims)} has more than the limit of ${this.lim.maxNodeSize} elements`);
    return Object.freeze(dims);
  }

  /** Reads `nodes[i]`, whose sources must all be read already. */
  node(x: unknown, i: number): void {
    const p = `nodes[${i}]`;
    const r = record(x, p, ["id", "op", "shape", "src"], ["arg"]);
    const id = int(r.id, field(p, "id"), 0, Number.MAX_SAFE_INTEGER);
    const dup = this.at.get(id);
    if (dup !== undefined) fail(field(p, "id"), `duplicate id ${id} (also nodes[${dup}])`);
    if (typeof r.op !== "string" || !ops.has(r.op)) fail(field(p, "op"), `unknown op ${show(r.op)}`);
    const op = r.op as Op;
    const shape = this.shape(r.shape, field(p, "shape"));
    const src = this.refs(r.src, field(p, "src"));
    const rule = ruleOf(op);
    if (typeof rule.arity === "number" ? src.length !== rule.arity : rule.arity === "some" && src.length === 0) {
      fail(field(p, "src"), `${op} takes ${rule.arity === "some" ? "one or more" : rule.arity} sources, got ${src.length}`);
    }
    const why = rule.check?.(shape, src);
    if (why !== undefined) fail(p, why);
    let arg: unknown;
    if (rule.arg === undefined) {
      if (Object.hasOwn(r, "arg")) fail(field(p, "arg"), `${op} takes no payload`);
    } else {
      if (!Object.hasOwn(r, "arg")) fail(field(p, "arg"), "missing field");
      arg = Object.freeze(rule.arg(r.arg, { path: field(p, "arg"), shape, src, r: this }));
    }
    this.at.set(id, i);
    this.nodes.push(Object.freeze({ id, op, shape, src: Object.freeze(src), arg }) as Node);
  }

  /** What no node used: unbound placeholders, unread data, unused pool arrays. */
  leftovers(): void {
    const p = this.nodes.find((n) => n.op === "placeholder" && !this.bound.has(n.id));
    if (p !== undefined) fail(`nodes[${this.position(p)}]`, `placeholder ${p.id} is bound by no scan`);
    const d = this.dataNode.indexOf(undefined);
    if (d >= 0) fail(`data[${d}]`, "no data node reads it");
    for (const pool of ["consts", "indices"] as const) {
      const k = this.pools[pool].findIndex((_, j) => !this.used[pool].has(j));
      if (k >= 0) fail(`${pool}[${k}]`, "no node uses it");
    }
  }
}

const LISTS = ["nodes", "consts", "indices", "data", "params", "layout", "values", "grads"] as const;
const TOP = ["format", "logp", ...LISTS];

/** Checks a document and rebuilds the model graph and differentiated IR the code generator reads. */
export function readWire(json: unknown, limits: WireLimits): { mg: ModelGraph; dg: DensityGraph } {
  const lim: Required<WireLimits> = {
    maxNodes: limits.maxNodes ?? defaultLimits.maxNodes,
    maxElements: limits.maxElements ?? defaultLimits.maxElements,
    maxNodeSize: limits.maxNodeSize ?? defaultLimits.maxNodeSize,
    maxRank: limits.maxRank ?? defaultLimits.maxRank,
  };
  const doc = record(json, "", TOP, ["careful"]);
  if (doc.format !== WIRE_FORMAT) fail("format", `expected "${WIRE_FORMAT}", got ${show(doc.format)}`);
  // Sizes before contents: no work below goes beyond the limits.
  const top = Object.fromEntries(LISTS.map((k) => [k, list(doc[k], k, lim.maxNodes)])) as Record<
    (typeof LISTS)[number],
    readonly unknown[]
  >;
  let total = 0;
  const counted = (pool: "consts" | "indices" | "data") =>
    top[pool].map((x, k) => {
      const xs = list(x, `${pool}[${k}]`, lim.maxElements);
      total += xs.length;
      if (total > lim.maxElements) fail(`${pool}[${k}]`, `consts, indices and data hold more than the limit of ${lim.maxElements} numbers`);
      return xs;
    });
  const [constLists, indexLists, dataLists] = [counted("consts"), counted("indices"), counted("data")];

  const r = new WireReader(
    lim,
    {
      consts: constLists.map((xs, k) => Float64Array.from(xs, (x, i) => decodeNumber(x, `consts[${k}][${i}]`, "any"))),
      indices: indexLists.map((xs, k) => Int32Array.from(xs, (x, i) => int(x, `indices[${k}][${i}]`, 0, 2 ** 31 - 1))),
    },
    // Data passed the build-time checks at the sender: finite.
    dataLists.map((xs, k) => Float64Array.from(xs, (x, i) => decodeNumber(x, `data[${k}][${i}]`, "finite"))),
  );
  top.nodes.forEach((x, i) => r.node(x, i));
  r.leftovers();

  const layout = readLayout(top.layout, r);
  const params = readParams(top.params, layout, r);
  const { logp, grads } = readDensityRoots(doc.logp, top.grads, params, r, "");
  let careful: DensityGraph["careful"];
  if (Object.hasOwn(doc, "careful")) {
    const c = record(doc.careful, "careful", ["logp", "grads"]);
    careful = readDensityRoots(c.logp, list(c.grads, "careful.grads", lim.maxNodes), params, r, "careful.");
  }
  const values = readValues(top.values, layout, r);

  const G = new Graph();
  // One by one: spreading a million arguments would overflow the stack.
  for (const p of params) G.params.push(p);
  for (const d of r.dataNodes()) G.data.push(d);
  const valueNodes = [...values.values()];
  const live = (rs: { logp: Node; grads: readonly (Node | null)[] }) => [rs.logp, ...rs.grads.filter((g): g is Node => g !== null)];
  const roots = [...live({ logp, grads }), ...valueNodes, ...(careful === undefined ? [] : live(careful))];
  checkAllUsed([...roots, ...params, ...G.data], r);
  try {
    verifyIR(roots);
  } catch (e) {
    const id = /node (\d+)/.exec(e instanceof Error ? e.message : "")?.[1];
    const at = id === undefined ? undefined : r.nodes.find((n) => n.id === Number(id));
    throw new WireError(at === undefined ? "nodes" : `nodes[${r.position(at)}]`, e instanceof Error ? e.message : String(e));
  }
  const dg: DensityGraph = { logp, grads, values: valueNodes, careful, roots };
  // The code generator reads graph.params, graph.data, layout and values; logp is the simplified one, observed terms are not sent.
  return { mg: { graph: G, logp, layout, values, observed: new Map() }, dg };
}

/** log p (a scalar) and one gradient per parameter (its shape, or null), at `prefix`logp and `prefix`grads. */
function readDensityRoots(
  logpRef: unknown,
  gradRefs: readonly unknown[],
  params: readonly Node[],
  r: WireReader,
  prefix: string,
): { logp: Node; grads: (Node | null)[] } {
  const logp = r.ref(logpRef, `${prefix}logp`);
  if (logp.shape.length !== 0) fail(`${prefix}logp`, `log p must be a scalar, node ${logp.id} has shape ${showShape(logp.shape)}`);
  if (gradRefs.length !== params.length) fail(`${prefix}grads`, `${gradRefs.length} gradients for ${params.length} parameters`);
  const grads = gradRefs.map((x, k) => {
    if (x === null) return null;
    const g = r.ref(x, `${prefix}grads[${k}]`);
    return sameShape(g.shape, params[k].shape) ? g : fail(`${prefix}grads[${k}]`, `shape ${showShape(g.shape)} is not its parameter's`);
  });
  return { logp, grads };
}

/** Every node is needed by a root: nothing else rides along. */
function checkAllUsed(roots: readonly Node[], r: WireReader): void {
  const live = new Set(roots.map((n) => n.id));
  // Sources precede their readers, so one backward sweep marks all that is needed.
  for (let i = r.nodes.length - 1; i >= 0; i--) {
    const n = r.nodes[i];
    if (!live.has(n.id)) fail(`nodes[${i}]`, `node ${n.id} is not needed by log p, its gradient (default or careful form) or the values`);
    for (const d of deps(n)) live.add(d.id);
  }
}

function readTransform(x: unknown, path: string): TransformSpec {
  const t = record(x, path, ["type"], ["lower", "upper"]);
  if (typeof t.type !== "string" || !Object.hasOwn(transformBounds, t.type)) fail(field(path, "type"), `unknown transform ${show(t.type)}`);
  const type = t.type as TransformType;
  const spec: { type: TransformType; lower?: number; upper?: number } = { type };
  for (const side of ["lower", "upper"] as const) {
    if (!Object.hasOwn(t, side)) continue;
    if (!transformBounds[type].includes(side)) fail(field(path, side), `a ${type} transform has no ${side} bound`);
    spec[side] = decodeNumber(t[side], field(path, side), "notNaN");
  }
  return spec;
}

/** The layout: entries that tile θ in order, each of the size its transform gives its shape. */
function readLayout(xs: readonly unknown[], r: WireReader): LayoutEntry[] {
  let dim = 0;
  const names = new Set<string>();
  return xs.map((x, k) => {
    const p = `layout[${k}]`;
    const e = record(x, p, ["name", "shape", "offset", "size", "transform"]);
    const site = name(e.name, field(p, "name"));
    if (names.has(site)) fail(field(p, "name"), `two layout entries are named ${show(site)}`);
    names.add(site);
    const shape = r.shape(e.shape, field(p, "shape"));
    const offset = int(e.offset, field(p, "offset"), 0, Number.MAX_SAFE_INTEGER);
    if (offset !== dim) fail(field(p, "offset"), `expected ${dim}: the entries tile θ in order`);
    const size = int(e.size, field(p, "size"), 0, r.lim.maxNodeSize);
    const transform = readTransform(e.transform, field(p, "transform"));
    const want = guard(field(p, "shape"), `not a shape for the ${transform.type} transform`, () =>
      getTransform(transform.type).unconstrainedSize(shape),
    );
    if (size !== want)
      fail(field(p, "size"), `a ${transform.type} value of shape ${showShape(shape)} has ${want} unconstrained coordinates, not ${size}`);
    dim += size;
    return { name: site, shape, offset, size, transform };
  });
}

/** The parameter leaves: every param node once, each the θ slice of the layout entry of its site. */
function readParams(xs: readonly unknown[], layout: readonly LayoutEntry[], r: WireReader): Node<"param">[] {
  const entries = new Map(layout.map((e) => [e.name, e]));
  const sites = new Set<string>();
  const params = xs.map((x, k) => {
    const n = r.ref(x, `params[${k}]`);
    if (n.op !== "param") fail(`params[${k}]`, `node ${n.id} is a ${n.op}, not a param`);
    const a = n.arg as ArgOf["param"];
    const e = entries.get(a.site);
    if (e === undefined) fail(`params[${k}]`, `no layout entry for site ${show(a.site)}`);
    if (sites.has(a.site)) fail(`params[${k}]`, `a second param of site ${show(a.site)}`);
    sites.add(a.site);
    if (a.offset !== e.offset || n.shape[0] !== e.size)
      fail(`params[${k}]`, `θ[${a.offset}, +${n.shape[0]}) is not site ${show(a.site)}'s θ[${e.offset}, +${e.size})`);
    return n as Node<"param">;
  });
  const listed = new Set(params);
  const unlisted = r.nodes.find((n) => n.op === "param" && !listed.has(n as Node<"param">));
  if (unlisted !== undefined) fail(`nodes[${r.position(unlisted)}]`, `param ${unlisted.id} is missing from params`);
  const unread = layout.find((e) => e.size > 0 && !sites.has(e.name));
  if (unread !== undefined) fail("params", `no param reads site ${show(unread.name)}`);
  return params;
}

/** The constrained values by name, every parameter's among them with its layout shape. */
function readValues(xs: readonly unknown[], layout: readonly LayoutEntry[], r: WireReader): Map<string, Node> {
  const values = new Map<string, Node>();
  xs.forEach((x, k) => {
    if (!Array.isArray(x) || x.length !== 2) fail(`values[${k}]`, `expected [name, node id], got ${show(x)}`);
    const pair = x as readonly unknown[];
    const site = name(pair[0], `values[${k}][0]`);
    if (values.has(site)) fail(`values[${k}][0]`, `a second value named ${show(site)}`);
    values.set(site, r.ref(pair[1], `values[${k}][1]`));
  });
  for (const e of layout) {
    const v = values.get(e.name);
    if (v === undefined || !sameShape(v.shape, e.shape))
      fail("values", `parameter ${show(e.name)} needs a value of shape ${showShape(e.shape)}`);
  }
  return values;
}
