/**
 * Emits JavaScript source from a planned IR: loops over Float64Arrays, no
 * allocation per call, data and constants referred to by index (no user
 * string ever becomes code).
 * @module
 */
import { type Shape, sizeOf, stridesOf } from "../../tensor/shape.ts";
import { type Arg, isBinary, isUnary, type Node, type StructuralOp } from "../../ir/node.ts";
import { type FusedLoop, findFusedLoops, isRowwise, padStart } from "./fuse.ts";
import { broadcastSourceIndex, isView, type Kind, plan, type ViewOp } from "./plan.ts";
import { binaryJs, flatIndex, literal, offsetIndex, unaryJs } from "./syntax.ts";

/** Ops computed by a rule of their own (scans are loops of their own, their results read in place). */
type RealizedOp = Exclude<StructuralOp, "scan" | "scanResult">;

/** Where a realized node goes: its buffer, or (a scalar) a definition of its name. */
interface Target {
  readonly out: string;
  readonly scalar: boolean;
  readonly define: (expr: string) => void;
}

/** The rule computing one op into its target. */
type Realize<K extends RealizedOp> = (n: Node<K>, target: Target) => void;

/** Tables the generated code refers to by index. */
export interface Tables {
  /** Constant arrays, `C[k]`. */
  readonly consts: Float64Array[];
  /** Index arrays of gathers and scatters, `I[k]`. */
  readonly indices: Int32Array[];
}

/** A function body and the closure state it needs. */
export interface EmittedFunction {
  /** Statements allocating the buffers, run once when the module is built. */
  readonly setup: string[];
  /** The function body. */
  readonly body: string;
  /** Top-level helper functions the body calls (when a large body was split), taking the function's parameters. */
  readonly parts: EmittedPart[];
  /** In dense mode, the float64s each setup name takes in the arena (see {@link EmitOptions.dense}). */
  readonly arena: ReadonlyMap<string, number>;
}

/** A helper function of a split body: its name and body (its parameters are those of the function it was cut from). */
export interface EmittedPart {
  readonly name: string;
  readonly body: string;
}

/** Longest array a scan copies elementwise rather than with TypedArray.set. */
const SMALL_COPY = 16;

/** Length from which a dot product is summed in four parts (see `dot`). */
const DOT_SPLIT = 8;

/**
 * Multiply–adds from which a matrix–vector product calls the WebAssembly
 * kernel (dense mode): below, the call and the copy of its vector cost more
 * than the loop they replace.
 */
const DENSE_MIN = 256;

/**
 * Elements from which a vector's exp, softplus or sigmoid is computed by
 * the arena's WebAssembly kernels (dense mode; softplus and sigmoid both
 * from one e^(−|x|)): below, the call and the extra pass that stores the
 * input cost more than they save.
 */
const KERNEL_MIN = 32;

/** Elementwise ops the arena computes over a whole vector (see {@link KERNEL_MIN}). */
const kernelOps = new Set<string>(["exp", "softplus", "sigmoid"]);

/** Statements per generated function before a body is split (V8 stops optimizing very large functions). */
export const PART_LINES = 600;

/** A node the caller stores elementwise: `target(idx)` is the place of element `idx`. */
export interface Sink {
  readonly node: Node;
  readonly target: (idx: readonly string[]) => string;
}

/** Options of an {@link Emitter}. */
export interface EmitOptions {
  /** Split mode: scalars live in a scratch array `T<split>` so the body can be cut into parts. */
  readonly split?: string | null;
  /** Nodes computed by `prepare` (vectors in `b<id>`, scalars in `p<id>`). */
  readonly pre?: ReadonlySet<number>;
  /**
   * Dense mode: every buffer and data table lives in the density's
   * {@link DenseArena} (`W`), and large matrix–vector products run in its
   * WebAssembly kernels. The module's setup must start with `W.reserve(n)`
   * for the sum of every function's {@link EmittedFunction.arena}.
   */
  readonly dense?: boolean;
}

/** A matrix an arena kernel can read in place: its name, its stored rows × columns, and whether the product wants its transpose. */
interface DenseMatrix {
  readonly ref: string;
  readonly rows: number;
  readonly cols: number;
  readonly transposed: boolean;
}

/** Emits one function computing `roots` and storing `sinks`. */
export class Emitter {
  private readonly lines: string[] = [];
  /** Module-level statements (each once). */
  private readonly setup = new Set<string>();
  private readonly kind: Map<number, Kind>;
  /** How a placeholder is read inside the loop being emitted. */
  private readonly placeholderAt = new Map<number, (idx: readonly string[]) => string>();
  /** Values the fused loop being emitted holds in locals of its body: the element at `idx`, named `name`. */
  private readonly localAt = new Map<number, { idx: string; name: string }>();
  private readonly roots: readonly Node[];
  private readonly sinks: ReadonlyMap<number, readonly Sink[]>;
  private readonly written = new Set<number>();
  /** Scan results some root reads, as `scan id:index` (a carry history nobody reads is not recorded). */
  private readonly usedResults = new Set<string>();
  /** Fused loops, and which loop computes a node. */
  private readonly fused: FusedLoop[];
  private readonly loopOf = new Map<number, number>();
  private readonly done = new Set<number>();
  /** Line indices where a top-level statement group starts (split points). */
  private readonly boundaries: number[] = [];
  /** Scratch slots of scalars, when the body is split into parts. */
  private readonly slots = new Map<number, number>();
  private readonly split: string | null;
  private readonly dense: boolean;
  /** Arena allocations of the setup (dense mode): name → float64s. */
  private readonly arena = new Map<string, number>();
  /** Kernel nodes computed by one call: a softplus and a sigmoid of the same input, each to the other. */
  private readonly kernelPartner = new Map<number, Node>();
  private loopVar = 0;
  private depth = 1;

  constructor(
    roots: readonly Node[],
    sinks: readonly Sink[],
    private readonly tables: Tables,
    private readonly dataIndex: (n: Node<"data">) => number,
    options: EmitOptions = {},
  ) {
    this.split = options.split ?? null;
    this.dense = options.dense === true;
    const all = [...roots, ...sinks.map((k) => k.node)];
    const p = plan(all, undefined, options.pre);
    this.kind = new Map(p.kind);
    if (this.dense) this.planKernels(p.order);
    this.roots = all;
    this.noteResults(p.order);
    const bySink = new Map<number, Sink[]>();
    for (const k of sinks) bySink.set(k.node.id, [...(bySink.get(k.node.id) ?? []), k]);
    this.sinks = bySink;
    this.fused = findFusedLoops(p.order, this.kind, all, new Set(bySink.keys()));
    this.fused.forEach((loop, i) => {
      for (const m of loop.members) {
        this.loopOf.set(m.id, i);
        const role = loop.role.get(m.id);
        if (role !== undefined) this.kind.set(m.id, role === "store" ? "buffer" : role);
        else this.kind.set(m.id, "scalar");
      }
    });
  }

  /** Marks the vectors the arena's kernels compute, and pairs a softplus and a sigmoid of one input. */
  private planKernels(order: readonly Node[]): void {
    const byInput = new Map<number, Node>();
    for (const n of order) {
      if (!kernelOps.has(n.op) || this.kind.get(n.id) === "pre" || sizeOf(n.shape) < KERNEL_MIN) continue;
      this.kind.set(n.id, "kernel");
      if (n.op === "exp") continue;
      const other = byInput.get(n.src[0].id);
      if (other !== undefined && other.op !== n.op) {
        this.kernelPartner.set(n.id, other);
        this.kernelPartner.set(other.id, n);
      } else byInput.set(n.src[0].id, n);
    }
  }

  private noteResults(order: readonly Node[]): void {
    for (const n of order) if (n.op === "scanResult") this.usedResults.add(`${n.src[0].id}:${(n.arg as Arg<"scanResult">).index}`);
  }

  // Tables are read through module-level names, so hot loops index one array, not an array of arrays.
  private constRef(values: Float64Array): string {
    let k = this.tables.consts.indexOf(values);
    if (k < 0) k = this.tables.consts.push(values) - 1;
    this.setup.add(`const C${k} = C[${k}];`);
    return `C${k}`;
  }

  private indexRef(values: Int32Array): string {
    let k = this.tables.indices.indexOf(values);
    if (k < 0) k = this.tables.indices.push(values) - 1;
    this.setup.add(`const I${k} = I[${k}];`);
    return `I${k}`;
  }

  private dataRef(n: Node<"data">): string {
    const k = this.dataIndex(n);
    if (this.dense) this.arenaAlloc(`D${k}`, sizeOf(n.shape), `W.table(D, ${k})`);
    else this.setup.add(`const D${k} = D[${k}];`);
    return `D${k}`;
  }

  /** Declares `name` in the setup as `init`, an arena view of `size` float64s. */
  private arenaAlloc(name: string, size: number, init = `W.f64(${Math.max(1, size)})`): void {
    this.setup.add(`const ${name} = ${init};`);
    this.arena.set(name, Math.max(1, size));
  }

  private emit(line: string): void {
    this.lines.push("  ".repeat(this.depth) + line);
  }

  /** Emits nested loops over `shape`, calling `body` with the index variables. */
  private loops(shape: Shape, body: (idx: string[]) => void): void {
    const idx: string[] = [];
    for (const d of shape) {
      if (d === 1) {
        idx.push("0");
        continue;
      }
      const v = `i${this.loopVar++}`;
      this.emit(`for (let ${v} = 0; ${v} < ${d}; ${v}++) {`);
      this.depth++;
      idx.push(v);
    }
    body(idx);
    for (const d of shape) {
      if (d === 1) continue;
      this.depth--;
      this.emit("}");
    }
  }

  private name(n: Node): string {
    return this.kind.get(n.id) === "scalar" ? this.scalarRef(n.id) : `b${n.id}`;
  }

  /** A JS expression for element `idx` (one index expression per dimension) of `n`. */
  at(n: Node, idx: readonly string[]): string {
    const local = this.localAt.get(n.id);
    if (local !== undefined && local.idx === idx.join(",")) return local.name;
    switch (this.kind.get(n.id)) {
      case "literal":
        return literal((n.arg as Arg<"const">).values[0]);
      case "scalar":
        return this.scalarRef(n.id);
      case "leaf":
        if (n.op === "param") return `th[${offsetIndex((n.arg as Arg<"param">).offset, idx[0])}]`;
        if (n.op === "data") return `${this.dataRef(n as Node<"data">)}[${flatIndex(n.shape, idx)}]`;
        return `${this.constRef((n.arg as Arg<"const">).values)}[${flatIndex(n.shape, idx)}]`;
      case "buffer":
      case "kernel":
        return `b${n.id}[${flatIndex(n.shape, idx)}]`;
      case "pre":
        return n.shape.length === 0 ? `p${n.id}` : `b${n.id}[${flatIndex(n.shape, idx)}]`;
      case "inline":
        if (isRowwise(n)) return this.expression(n, idx);
        throw new Error(`codegen: cannot inline ${n.op}`);
      case "view":
        return this.atView(n, idx);
      case "result":
        return `r${n.src[0].id}_${(n.arg as Arg<"scanResult">).index}[${flatIndex(n.shape, idx)}]`;
      case "placeholder": {
        const read = this.placeholderAt.get(n.id);
        if (read === undefined) throw new Error(`codegen: placeholder ${n.id} read outside its loop`);
        return read(idx);
      }
      default:
        throw new Error(`codegen: node ${n.id} (${n.op}) was not planned`);
    }
  }

  /** How element `idx` of each view op reads its source; a missing view op is a compile error. */
  private readonly viewRules: { readonly [K in ViewOp]: (n: Node<K>, x: Node, idx: readonly string[]) => string } = {
    broadcast: (n, x, idx) => this.at(x, broadcastSourceIndex(n.shape, x.shape, idx)),
    transpose: (_n, x, idx) => this.at(x, [idx[1], idx[0]]),
    gather: (n, x, idx) => {
      const ind = n.arg.indices;
      const contiguous = ind.every((v, k) => v === ind[0] + k);
      const row = contiguous ? offsetIndex(ind[0], idx[0]) : `${this.indexRef(ind)}[${idx[0]}]`;
      return this.at(x, [row, ...idx.slice(1)]);
    },
    reshape: (n, x, idx) => {
      const flat = flatIndex(n.shape, idx);
      const k = this.kind.get(x.id);
      if (k === "leaf" || k === "buffer" || k === "kernel" || k === "result" || k === "pre")
        return this.at(x, x.shape.length === 0 ? [] : this.unflattenForFlat(x, flat));
      const strides = stridesOf(x.shape);
      const lead = x.shape.findIndex((d) => d !== 1);
      return this.at(
        x,
        x.shape.map((d, j) => {
          if (d === 1) return "0";
          const q = strides[j] === 1 ? flat : `Math.floor((${flat}) / ${strides[j]})`;
          // The leading dimension needs no wrap-around: the flat index is within the tensor.
          return j === lead ? q : `(${q}) % ${d}`;
        }),
      );
    },
  };

  private atView(n: Node, idx: readonly string[]): string {
    if (!isView(n.op)) throw new Error(`codegen: ${n.op} is not a view`);
    return (this.viewRules[n.op] as (n: Node, x: Node, idx: readonly string[]) => string)(n, n.src[0], idx);
  }

  /** Index expressions that make flatIndex(x.shape, ·) equal `flat` (for flat-addressable arrays). */
  private unflattenForFlat(x: Node, flat: string): string[] {
    // Put the whole flat offset in the last dimension: flatIndex sums terms, so this reads element `flat`.
    const idx = x.shape.map(() => "0");
    const last = x.shape.length - 1;
    if (x.shape[last] === 1) {
      // flatIndex skips size-1 dimensions: find the last one that is not.
      const j = x.shape.findLastIndex((d) => d !== 1);
      if (j >= 0) idx[j] = flat;
      return idx;
    }
    idx[last] = flat;
    return idx;
  }

  private buffer(n: Node): string {
    const b = `b${n.id}`;
    if (this.dense) this.arenaAlloc(b, sizeOf(n.shape));
    else this.setup.add(`const ${b} = new Float64Array(${Math.max(1, sizeOf(n.shape))});`);
    return b;
  }

  /** Emits the statements realizing `n`. */
  private realize(n: Node): void {
    const k = this.kind.get(n.id);
    if (k === "literal" || k === "leaf" || k === "inline" || k === "view" || k === "result" || k === "placeholder" || k === "pre") return;
    if (k === "scan") {
      this.realizeScan(n as Node<"scan">);
      return;
    }
    if (k === "kernel") {
      this.realizeKernel(n);
      return;
    }
    const scalar = k === "scalar";
    const out = scalar ? this.scalarRef(n.id) : this.buffer(n);
    const define = (expr: string) => this.emit(this.split ? `${out} = ${expr};` : `const ${out} = ${expr};`);
    const op = n.op;
    if (isUnary(op) || isBinary(op)) {
      const expr = (idx: string[]) =>
        isUnary(op) ? unaryJs[op](this.at(n.src[0], idx)) : binaryJs[op](this.at(n.src[0], idx), this.at(n.src[1], idx));
      if (scalar) define(expr([]));
      else this.loops(n.shape, (idx) => this.emit(`${out}[${flatIndex(n.shape, idx)}] = ${expr(idx)};`));
      return;
    }
    const rule = this.realizeRules[n.op as RealizedOp] as Realize<RealizedOp> | undefined;
    if (rule === undefined) throw new Error(`codegen: no JavaScript rule for ${n.op}`);
    rule(n as Node<RealizedOp>, { out, scalar, define });
  }

  /**
   * How each op that is not elementwise is computed into its buffer (or, for
   * a scalar, defined); a missing op is a compile error. Scans are realized
   * as loops of their own, their results read in place.
   */
  private readonly realizeRules: { readonly [K in RealizedOp]: Realize<K> } = {
    // A view realized as a scalar (shape []).
    broadcast: (n, { define }) => define(this.atView(n, [])),
    reshape: (n, { define }) => define(this.atView(n, [])),
    transpose: (n, { define }) => define(this.atView(n, [])),
    gather: (n, { define }) => define(this.atView(n, [])),
    sum: (n, { out, scalar, define }) => {
      const x = n.src[0];
      const axis = n.arg.axis;
      if (axis === null) {
        const acc = `a${n.id}`;
        this.emit(`let ${acc} = 0;`);
        this.loops(x.shape, (idx) => this.emit(`${acc} += ${this.at(x, idx)};`));
        define(acc);
      } else {
        if (!scalar) this.emit(`${out}.fill(0);`);
        else this.emit(`let a${n.id} = 0;`);
        this.loops(x.shape, (idx) => {
          const o = idx.filter((_, j) => j !== axis);
          this.emit(`${scalar ? `a${n.id}` : `${out}[${flatIndex(n.shape, o)}]`} += ${this.at(x, idx)};`);
        });
        if (scalar) define(`a${n.id}`);
      }
    },
    sumTo: (n, { out }) => {
      const x = n.src[0];
      this.emit(`${out}.fill(0);`);
      const lead = x.shape.length - n.shape.length;
      this.loops(x.shape, (idx) => {
        const o = n.shape.map((d, j) => (d === 1 ? "0" : idx[lead + j]));
        this.emit(`${out}[${flatIndex(n.shape, o)}] += ${this.at(x, idx)};`);
      });
    },
    logSumExp: (n, { out, scalar, define }) => this.realizeLogSumExp(n, out, scalar, define),
    scatterAdd: (n, { out }) => {
      const x = n.src[0];
      const a = n.arg;
      this.emit(`${out}.fill(0);`);
      const ind = this.indexRef(a.indices);
      this.loops(x.shape, (idx) => {
        this.emit(`${out}[${flatIndex(n.shape, [`${ind}[${idx[0]}]`, ...idx.slice(1)])}] += ${this.at(x, idx)};`);
      });
    },
    concat: (n, { out }) => {
      let start = 0;
      for (const part of n.src) {
        const s0 = start;
        this.loops(part.shape, (idx) => {
          this.emit(`${out}[${flatIndex(n.shape, [s0 === 0 ? idx[0] : `${s0} + ${idx[0]}`, ...idx.slice(1)])}] = ${this.at(part, idx)};`);
        });
        start += part.shape[0];
      }
    },
    cumsum: (n, { out }) => {
      const x = n.src[0];
      const rest = x.shape.slice(1);
      const inner = sizeOf(rest);
      this.loops([x.shape[0]], ([i]) => {
        this.loops(rest, (r) => {
          const o = flatIndex(n.shape, [i, ...r]);
          const prev = inner === 1 ? `${out}[${i} - 1]` : `${out}[(${o}) - ${inner}]`;
          this.emit(`${out}[${o}] = (${i} > 0 ? ${prev} : 0) + ${this.at(x, [i, ...r])};`);
        });
      });
    },
    matmul: (n, { out, scalar, define }) => this.realizeMatmul(n, out, scalar, define),
    cholesky: (n, { out }) => this.realizeCholesky(n, out),
    triSolve: (n, { out }) => this.realizeTriSolve(n, out),
  };

  private realizeLogSumExp(n: Node, out: string, scalar: boolean, define: (expr: string) => void): void {
    const x = n.src[0];
    const axis = (n.arg as Arg<"logSumExp">).axis;
    // A −∞ term adds nothing: while the running maximum is −∞ too, e^(v − m) would be NaN.
    const online = (m: string, s: string, v: string) => {
      this.emit(`{ const v = ${v};`);
      this.emit(
        `  if (v > ${m}) { ${s} = ${s} * Math.exp(${m} - v) + 1; ${m} = v; } else if (v !== -Infinity) ${s} += Math.exp(v - ${m}); }`,
      );
    };
    const finish = (m: string, s: string) => `(${m} === -Infinity || ${m} === Infinity ? ${m} : ${m} + Math.log(${s}))`;
    if (axis === null) {
      this.emit(`let m${n.id} = -Infinity, z${n.id} = 0;`);
      this.loops(x.shape, (idx) => online(`m${n.id}`, `z${n.id}`, this.at(x, idx)));
      define(finish(`m${n.id}`, `z${n.id}`));
      return;
    }
    const outer = x.shape.filter((_, j) => j !== axis);
    if (scalar) throw new Error("codegen: logSumExp over an axis of a vector yields a scalar; use axis null");
    const target = (o: string[]) => `${out}[${flatIndex(n.shape, o)}] = `;
    this.loops(outer, (o) => {
      this.emit("{");
      this.emit(`let m = -Infinity, z = 0;`);
      this.loops([x.shape[axis]], ([k]) => {
        const idx = [...o.slice(0, axis), k, ...o.slice(axis)];
        online("m", "z", this.at(x, idx));
      });
      this.emit(`${target(o)}${finish("m", "z")};`);
      this.emit("}");
    });
  }

  private realizeMatmul(n: Node, out: string, scalar: boolean, define: (expr: string) => void): void {
    const [a, b] = n.src;
    const m = a.shape.length === 2 ? a.shape[0] : 1;
    const inner = a.shape[a.shape.length - 1];
    const p = b.shape.length === 2 ? b.shape[1] : 1;
    const aIdx = (i: string, k: string) => (a.shape.length === 2 ? [i, k] : [k]);
    const bIdx = (k: string, j: string) => (b.shape.length === 2 ? [k, j] : [k]);
    const outIdx = (i: string, j: string) => [...(a.shape.length === 2 ? [i] : []), ...(b.shape.length === 2 ? [j] : [])];
    if (scalar) {
      this.dot(`a${n.id}`, inner, (k) => `${this.at(a, aIdx("0", k))} * ${this.at(b, bIdx(k, "0"))}`);
      define(`a${n.id}`);
      return;
    }
    if (this.dense && m * inner * p >= DENSE_MIN && this.denseProduct(n, out)) return;
    this.loops([m, p], ([i, j]) => {
      this.emit("{");
      this.dot("acc", inner, (k) => `${this.at(a, aIdx(i, k))} * ${this.at(b, bIdx(k, j))}`);
      this.emit(`${out}[${flatIndex(n.shape, outIdx(i, j))}] = acc; }`);
    });
  }

  /**
   * Computes matrix × vector or vector × matrix `n` into `out` with an arena
   * kernel, if its matrix is a data table or buffer read in place (or the
   * transpose of one); false (nothing emitted) otherwise. A vector not in
   * the arena is copied into a scratch view first ({@link inArena}).
   */
  private denseProduct(n: Node, out: string): boolean {
    const [a, b] = n.src;
    const matrixFirst = a.shape.length === 2 && b.shape.length === 1;
    if (!matrixFirst && !(a.shape.length === 1 && b.shape.length === 2)) return false;
    const [matrixNode, vector] = matrixFirst ? [a, b] : [b, a];
    const matrix = this.denseMatrix(matrixNode);
    if (matrix === undefined) return false;
    // X·v is gemv on X; v·X is Xᵀv, gemvT on X; a stored transpose swaps the two.
    const kernel = matrixFirst !== matrix.transposed ? "gemv" : "gemvT";
    this.emit(`W.${kernel}(${matrix.ref}, ${this.inArena(vector, `x${n.id}`)}, ${out}, ${matrix.rows}, ${matrix.cols});`);
    return true;
  }

  /**
   * Computes node `n` (of kind "kernel") with the arena's kernel. The
   * softplus kernel writes the sigmoid too: the other of the two taken of
   * the same input, if it is a kernel node too, is computed by the same call
   * (and marked done).
   */
  private realizeKernel(n: Node): void {
    const size = sizeOf(n.shape);
    const input = this.inArena(n.src[0], `x${n.id}`);
    if (n.op === "exp") {
      this.emit(`W.exp(${input}, ${this.buffer(n)}, ${size});`);
      return;
    }
    const partner = this.kernelPartner.get(n.id);
    if (partner !== undefined) this.done.add(partner.id);
    const output = (op: string) => {
      const m = n.op === op ? n : partner;
      if (m !== undefined) return this.buffer(m);
      this.arenaAlloc(`k${n.id}`, size);
      return `k${n.id}`;
    };
    this.emit(`W.softplusSigmoid(${input}, ${output("softplus")}, ${output("sigmoid")}, ${size});`);
  }

  /** A 2-d node as a matrix in the arena, or undefined. */
  private denseMatrix(n: Node): DenseMatrix | undefined {
    if (n.op === "transpose" && this.kind.get(n.id) === "view") {
      const m = this.denseMatrix(n.src[0]);
      return m === undefined ? undefined : { ...m, transposed: !m.transposed };
    }
    const ref = this.arrayRef(n);
    return ref === undefined ? undefined : { ref, rows: n.shape[0], cols: n.shape[1], transposed: false };
  }

  /** An arena array holding node `n` whole, in row-major order: its own, or a scratch view `name` it is first copied into. */
  private inArena(n: Node, name: string): string {
    const ref = this.arrayRef(n);
    if (ref !== undefined) return ref;
    this.arenaAlloc(name, sizeOf(n.shape));
    this.loops(n.shape, (idx) => this.emit(`${name}[${flatIndex(n.shape, idx)}] = ${this.at(n, idx)};`));
    return name;
  }

  /** The arena array holding node `n` whole, in row-major order, or undefined. */
  private arrayRef(n: Node): string | undefined {
    const k = this.kind.get(n.id);
    if (k === "leaf" && n.op === "data") return this.dataRef(n as Node<"data">);
    if ((k === "buffer" || k === "kernel" || k === "pre") && n.shape.length > 0) return `b${n.id}`;
    return undefined;
  }

  /**
   * `let acc = Σₖ term(k)` for k < n. Long sums use four partial sums: one
   * running sum waits on each addition's latency, four keep the adder busy.
   */
  private dot(acc: string, n: number, term: (k: string) => string): void {
    if (n < DOT_SPLIT) {
      this.emit(`let ${acc} = 0;`);
      this.loops([n], ([k]) => this.emit(`${acc} += ${term(k)};`));
      return;
    }
    const k = `i${this.loopVar++}`;
    const part = [0, 1, 2, 3].map((q) => `${acc}_${q}`);
    this.emit(`let ${part.map((x) => `${x} = 0`).join(", ")};`);
    this.emit(`let ${k} = 0;`);
    this.emit(`for (; ${k} < ${n - (n % 4)}; ${k} += 4) {`);
    part.forEach((x, q) => this.emit(`  ${x} += ${term(offsetIndex(q, k))};`));
    this.emit("}");
    if (n % 4 !== 0) this.emit(`for (; ${k} < ${n}; ${k}++) ${part[0]} += ${term(k)};`);
    this.emit(`let ${acc} = (${part[0]} + ${part[1]}) + (${part[2]} + ${part[3]});`);
  }

  private realizeCholesky(n: Node, out: string): void {
    const a = n.src[0];
    const k = n.shape[0];
    this.loops([k, k], ([i, j]) => this.emit(`${out}[${i} * ${k} + ${j}] = ${this.at(a, [i, j])};`));
    // In-place Cholesky–Banachiewicz; a non-positive pivot makes the factor NaN (log p becomes NaN, a divergence).
    this.emit(`for (let i = 0; i < ${k}; i++) {`);
    this.emit(`  for (let j = 0; j <= i; j++) {`);
    this.emit(`    let s = ${out}[i * ${k} + j];`);
    this.emit(`    for (let q = 0; q < j; q++) s -= ${out}[i * ${k} + q] * ${out}[j * ${k} + q];`);
    this.emit(`    ${out}[i * ${k} + j] = i === j ? (s > 0 ? Math.sqrt(s) : NaN) : s / ${out}[j * ${k} + j];`);
    this.emit(`  }`);
    this.emit(`  for (let j = i + 1; j < ${k}; j++) ${out}[i * ${k} + j] = 0;`);
    this.emit(`}`);
  }

  private realizeTriSolve(n: Node, out: string): void {
    const [l, b] = n.src;
    const k = l.shape[0];
    const cols = b.shape.length === 2 ? b.shape[1] : 1;
    const transpose = (n.arg as Arg<"triSolve">).transpose;
    const bIdx = (i: string, c: string) => (b.shape.length === 2 ? [i, c] : [i]);
    this.loops([k, cols], ([i, c]) => this.emit(`${out}[${flatIndex(n.shape, bIdx(i, c))}] = ${this.at(b, bIdx(i, c))};`));
    const L = (i: string, j: string) => this.at(l, [i, j]);
    const o = (i: string, c: string) => `${out}[${cols === 1 ? i : `${i} * ${cols} + ${c}`}]`;
    this.emit(`for (let c = 0; c < ${cols}; c++) {`);
    if (!transpose) {
      this.emit(`  for (let i = 0; i < ${k}; i++) {`);
      this.emit(`    let s = ${o("i", "c")};`);
      this.emit(`    for (let j = 0; j < i; j++) s -= ${L("i", "j")} * ${o("j", "c")};`);
      this.emit(`    ${o("i", "c")} = s / ${L("i", "i")};`);
    } else {
      this.emit(`  for (let i = ${k - 1}; i >= 0; i--) {`);
      this.emit(`    let s = ${o("i", "c")};`);
      this.emit(`    for (let j = i + 1; j < ${k}; j++) s -= ${L("j", "i")} * ${o("j", "c")};`);
      this.emit(`    ${o("i", "c")} = s / ${L("i", "i")};`);
    }
    this.emit(`  }`);
    this.emit(`}`);
  }

  private realizeScan(n: Node<"scan">): void {
    const a = n.arg;
    const nC = a.carry.length;
    const nO = a.outputs.length;
    const init = n.src.slice(0, nC);
    const seqs = n.src.slice(nC, nC + a.slices.length);
    const res = (i: number) => `r${n.id}_${i}`;
    const alloc = (name: string, size: number) => this.setup.add(`const ${name} = new Float64Array(${Math.max(1, size)});`);
    const recorded = (i: number) => this.usedResults.has(`${n.id}:${nC + nO + i}`);
    init.forEach((c, i) => {
      alloc(res(i), sizeOf(c.shape));
      alloc(`${res(i)}n`, sizeOf(c.shape));
      if (recorded(i)) alloc(res(nC + nO + i), a.length * sizeOf(c.shape));
    });
    a.outputs.forEach((o, j) => alloc(res(nC + j), a.length * sizeOf(o.shape)));
    // The body: nodes that depend on this scan's placeholders; everything else is realized outside the loop.
    const own = new Set<number>([...a.carry, ...a.slices].map((p) => p.id));
    const roots = [...a.nextCarry, ...a.outputs];
    const body = plan(roots, (x) => own.has(x.id));
    this.noteResults(body.order);
    const inner = new Set<number>();
    for (const x of body.order) if (own.has(x.id) || x.src.some((s) => inner.has(s.id))) inner.add(x.id);
    for (const x of body.order) {
      if (inner.has(x.id) || (x.op === "const" && !this.kind.has(x.id))) this.kind.set(x.id, body.kind.get(x.id) as Kind);
    }
    init.forEach((c, i) => this.loops(c.shape, (idx) => this.emit(`${res(i)}[${flatIndex(c.shape, idx)}] = ${this.at(c, idx)};`)));
    const t = `t${n.id}`;
    this.emit(`for (let ${t} = 0; ${t} < ${a.length}; ${t}++) {`);
    this.depth++;
    // Small carries are copied by a loop: a TypedArray.set call per step can cost more than a small body.
    const copy = (to: string, from: string, size: number, at: string) => {
      if (size > SMALL_COPY) this.emit(`${to}.set(${from}${at === "0" ? "" : `, ${at}`});`);
      else this.loops([size], ([q]) => this.emit(`${to}[${at === "0" ? q : q === "0" ? at : `${at} + ${q}`}] = ${from}[${q}];`));
    };
    init.forEach((c, i) => {
      const size = sizeOf(c.shape);
      if (recorded(i)) copy(res(nC + nO + i), res(i), size, size === 1 ? t : `${t} * ${size}`);
      this.placeholderAt.set(a.carry[i].id, (idx) => `${res(i)}[${flatIndex(c.shape, idx)}]`);
    });
    seqs.forEach((s, j) => this.placeholderAt.set(a.slices[j].id, (idx) => this.at(s, [t, ...idx])));
    for (const x of body.order) if (inner.has(x.id) && !own.has(x.id)) this.realize(x);
    a.outputs.forEach((o, j) => {
      const size = sizeOf(o.shape);
      this.loops(o.shape, (idx) =>
        this.emit(`${res(nC + j)}[${t} * ${size}${o.shape.length === 0 ? "" : ` + ${flatIndex(o.shape, idx)}`}] = ${this.at(o, idx)};`),
      );
    });
    a.nextCarry.forEach((c, i) => this.loops(c.shape, (idx) => this.emit(`${res(i)}n[${flatIndex(c.shape, idx)}] = ${this.at(c, idx)};`)));
    init.forEach((c, i) => copy(res(i), `${res(i)}n`, sizeOf(c.shape), "0"));
    this.depth--;
    this.emit("}");
    for (const p of [...a.carry, ...a.slices]) this.placeholderAt.delete(p.id);
  }

  /** The JS name of a scalar: a local, or a scratch slot in split mode. */
  private scalarRef(id: number): string {
    if (this.split === null) return `s${id}`;
    let k = this.slots.get(id);
    if (k === undefined) {
      k = this.slots.size;
      this.slots.set(id, k);
    }
    return `T${this.split}[${k}]`;
  }

  /** Realizes `n` after everything it needs (demand-driven, so fused loops go where they are first needed). */
  private ensure(n: Node): void {
    if (this.done.has(n.id)) return;
    this.done.add(n.id);
    if (this.kind.get(n.id) === "pre") return;
    if (this.depth === 1) this.boundaries.push(this.lines.length);
    const loop = this.loopOf.get(n.id);
    if (loop !== undefined) {
      this.emitFusedLoop(this.fused[loop]);
      return;
    }
    for (const x of n.src) this.ensure(x);
    this.realize(n);
  }

  private emitFusedLoop(loop: FusedLoop): void {
    const inside = new Set(loop.members.map((x) => x.id));
    for (const x of inside) this.done.add(x);
    for (const m of loop.members) for (const x of m.src) if (!inside.has(x.id)) this.ensure(x);
    const sums = loop.members.filter((m) => !loop.role.has(m.id));
    // Inputs read more than once at the loop index are read once into a local (V8 does not merge the loads).
    // (Reads at other indices, as a concat's, find no local: locals are kept per index.)
    const reads = new Map<number, number>();
    for (const m of loop.members) {
      if (m.op === "concat" || m.op === "scatterAdd") continue;
      for (const x of m.src) if (!inside.has(x.id)) reads.set(x.id, (reads.get(x.id) ?? 0) + 1);
    }
    const hoisted = [...reads].filter(([, k]) => k > 1).map(([id]) => id);
    const inputs = new Map(loop.members.flatMap((m) => m.src).map((x) => [x.id, x]));
    if (this.depth === 1) this.boundaries.push(this.lines.length);
    for (const sum of sums) this.emit(`let a${sum.id} = 0;`);
    this.loops(loop.shape, (idx) => {
      for (const id of hoisted) {
        const read = this.at(inputs.get(id) as Node, idx);
        if (/^[\w.]+$/.test(read)) continue;
        this.emit(`const v${id} = ${read};`);
        this.localAt.set(id, { idx: idx.join(","), name: `v${id}` });
      }
      for (const m of loop.members) {
        const role = loop.role.get(m.id);
        if (role === undefined) {
          this.emit(`a${m.id} += ${this.at(m.src[0], idx)};`);
          continue;
        }
        if (role === "inline" && !this.sinks.has(m.id)) continue;
        let value = this.expression(m, idx);
        if (role === "local" || (role === "store" && loop.readInside.has(m.id))) {
          this.emit(`const e${m.id} = ${value};`);
          this.localAt.set(m.id, { idx: idx.join(","), name: `e${m.id}` });
          value = `e${m.id}`;
        }
        if (role === "store") this.emit(`${this.buffer(m)}[${flatIndex(m.shape, idx)}] = ${value};`);
        this.writeSinks(m, idx, value);
      }
    });
    for (const id of [...inside, ...hoisted]) this.localAt.delete(id);
    for (const sum of sums)
      this.emit(this.split ? `${this.scalarRef(sum.id)} = a${sum.id};` : `const ${this.scalarRef(sum.id)} = a${sum.id};`);
  }

  /** The expression of a rowwise node (see fuse.ts) at `idx`. */
  private expression(n: Node, idx: readonly string[]): string {
    if (isUnary(n.op)) return unaryJs[n.op](this.at(n.src[0], idx));
    if (isBinary(n.op)) return binaryJs[n.op](this.at(n.src[0], idx), this.at(n.src[1], idx));
    const [row, ...rest] = idx;
    const shifted = (x: Node, start: number) => this.at(x, [offsetIndex(-start, row), ...rest]);
    if (n.op === "concat") {
      // Each row comes from the part that holds it.
      const ends: number[] = [];
      n.src.forEach((x, k) => ends.push((ends[k - 1] ?? 0) + x.shape[0]));
      let expr = shifted(n.src[n.src.length - 1], ends[ends.length - 2] ?? 0);
      for (let k = n.src.length - 2; k >= 0; k--) expr = `${row} < ${ends[k]} ? ${shifted(n.src[k], ends[k - 1] ?? 0)} : ${expr}`;
      return `(${expr})`;
    }
    const start = padStart(n);
    const end = start + n.src[0].shape[0];
    const inside = [start > 0 ? `${row} >= ${start}` : "", end < n.shape[0] ? `${row} < ${end}` : ""].filter(Boolean).join(" && ");
    return inside === "" ? shifted(n.src[0], start) : `(${inside} ? ${shifted(n.src[0], start)} : 0)`;
  }

  private writeSinks(n: Node, idx: readonly string[], value: string): void {
    if (this.written.has(n.id)) return;
    this.written.add(n.id);
    for (const sink of this.sinks.get(n.id) ?? []) this.emit(`${sink.target(idx)} = ${value};`);
  }

  /** Emits what `roots` need; returns the setup and the body so far. */
  run(finish: (e: Emitter) => void, params: string): EmittedFunction {
    for (const r of this.roots) this.ensure(r);
    // Sinks no fused loop wrote: one loop each.
    for (const [id, list] of this.sinks) {
      if (this.written.has(id)) continue;
      const n = list[0].node;
      if (this.depth === 1) this.boundaries.push(this.lines.length);
      this.loops(n.shape, (idx) => this.writeSinks(n, idx, this.at(n, idx)));
    }
    const end = this.lines.length;
    finish(this);
    if (this.split === null) return { setup: [...this.setup], body: this.lines.join("\n"), parts: [], arena: this.arena };
    // Cut the node statements into parts at group boundaries; the finishing statements stay in the body.
    const parts: EmittedPart[] = [];
    const calls: string[] = [];
    const cuts = [...this.boundaries.filter((b) => b > 0 && b < end), end];
    let start = 0;
    let chunk: string[] = [];
    const flush = () => {
      if (chunk.length === 0) return;
      const name = `part${this.split}_${parts.length}`;
      parts.push({ name, body: chunk.join("\n") });
      calls.push(`  ${name}(${params});`);
      chunk = [];
    };
    for (const cut of cuts) {
      const group = this.lines.slice(start, cut);
      if (chunk.length + group.length > PART_LINES) flush();
      chunk.push(...group);
      start = cut;
    }
    flush();
    const setup = [...this.setup, `const T${this.split} = new Float64Array(${Math.max(1, this.slots.size)});`];
    return { setup, body: [...calls, ...this.lines.slice(end)].join("\n"), parts, arena: this.arena };
  }

  /** Number of statements emitted so far. */
  get lineCount(): number {
    return this.lines.length;
  }

  /** Appends a raw statement (for the caller's `finish`). */
  statement(line: string): void {
    this.emit(line);
  }

  /** Loops over a shape from the caller's `finish`. */
  forEach(shape: Shape, body: (idx: string[]) => void): void {
    this.loops(shape, body);
  }

  /** The name holding a node's value if it is a scalar local. */
  scalarName(n: Node): string {
    return this.name(n);
  }
}
