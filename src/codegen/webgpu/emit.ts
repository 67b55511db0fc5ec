/**
 * Emits the WGSL body of a density shader from planned IR. One invocation
 * evaluates one point of the batch: scalars are `let`s, arrays live in the
 * invocation's part of a scratch buffer, interleaved across the batch
 * (element e of point p at `S[e·N + p]`, so neighbouring invocations read
 * neighbouring words), data and constants in one read-only table `D`,
 * gather and scatter indices in `I`. Sums over arrays are compensated
 * (Neumaier), so a float32 sum over thousands of data terms keeps float32's
 * relative precision.
 *
 * Values that depend on data and constants only (a centred design matrix,
 * log σ of a data σ) are computed once per data set, by the shader's
 * `prepare` entry point, into the buffer `Q`, which `main` reads: an
 * emitter in "prepare" mode writes that code (its arrays live in `Q`, not
 * per point), one in "main" mode reads those values from `Q`.
 * @module
 */
import { type Arg, isBinary, isUnary, type Node, type StructuralOp } from "../../ir/node.ts";
import { type Shape, sizeOf, stridesOf } from "../../tensor/shape.ts";
import { broadcastSourceIndex, isView, type Kind, plan, type ViewOp } from "../js/plan.ts";
import { literal, NAN, NEG_INF } from "./literal.ts";
import { binaryWgsl, unaryWgsl } from "./syntax.ts";

/** Ops computed by a rule of their own (views are read in place, scans are loops of their own). */
type RealizedOp = Exclude<StructuralOp, "scan" | "scanResult" | ViewOp>;

/** Where the tables a shader reads put each array: offsets into `D` (floats) and `I` (indices). */
export class Tables {
  /** The float table's contents: data arrays (in data-index order, first) and constants. */
  readonly floats: Float64Array[] = [];
  readonly indices: Int32Array[] = [];
  private floatEnd = 0;
  private indexEnd = 0;
  private readonly floatAt = new Map<Float64Array, number>();
  private readonly indexAt = new Map<Int32Array, number>();

  /** The offset of `values` in `D` (appended on first use). */
  float(values: Float64Array): number {
    let at = this.floatAt.get(values);
    if (at === undefined) {
      at = this.floatEnd;
      this.floatAt.set(values, at);
      this.floats.push(values);
      this.floatEnd += values.length;
    }
    return at;
  }

  /** The offset of `values` in `I`. */
  index(values: Int32Array): number {
    let at = this.indexAt.get(values);
    if (at === undefined) {
      at = this.indexEnd;
      this.indexAt.set(values, at);
      this.indices.push(values);
      this.indexEnd += values.length;
    }
    return at;
  }
}

/** Row-major offset of element `idx` of `shape`, as a WGSL i32 expression. */
function flatIndex(shape: Shape, idx: readonly string[]): string {
  const strides = stridesOf(shape);
  const terms: string[] = [];
  shape.forEach((d, k) => {
    if (d === 1 || idx[k] === "0") return;
    terms.push(strides[k] === 1 ? `(${idx[k]})` : `(${idx[k]}) * ${strides[k]}`);
  });
  return terms.length === 0 ? "0" : terms.join(" + ");
}

const plus = (offset: number, i: string) => (offset === 0 ? i : i === "0" ? String(offset) : `${offset} + ${i}`);

/** What an emitter writes: the per-point `main` (reading prepared values at their `Q` offsets), or `prepare`. */
export type EmitMode = { readonly kind: "main"; readonly prepared: ReadonlyMap<number, number> } | { readonly kind: "prepare" };

/** Emits the statements of one entry point, after its prologue (`main`'s defines `p`, `N` and `TH`). */
export class WgslEmitter {
  private readonly lines: string[] = [];
  private readonly kind = new Map<number, Kind>();
  /** Scratch slots: first element of each array node (scan results keyed `scan:index`). */
  private readonly slots = new Map<string, number>();
  private readonly placeholderAt = new Map<number, (idx: readonly string[]) => string>();
  private readonly done = new Set<number>();
  private scratch = 0;
  private counter = 0;
  private depth = 1;

  constructor(
    private readonly tables: Tables,
    /** Where each data leaf starts in `D`. */
    private readonly dataOffset: (n: Node<"data">) => number,
    private readonly mode: EmitMode,
  ) {}

  /** Floats of scratch per point. */
  get scratchSize(): number {
    return this.scratch;
  }

  /** The statements so far. */
  get body(): string {
    return this.lines.join("\n");
  }

  /** Appends a statement at the current depth. */
  emit(line: string): void {
    this.lines.push("  ".repeat(this.depth) + line);
  }

  private fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  /** Plans and realizes what `roots` need (at the current scope). */
  compute(roots: readonly Node[]): void {
    const prepared = this.mode.kind === "main" ? new Set(this.mode.prepared.keys()) : new Set<number>();
    const p = plan(roots, (n) => this.done.has(n.id), prepared);
    for (const [id, k] of p.kind) if (!this.done.has(id)) this.kind.set(id, k);
    for (const n of p.order) this.ensure(n);
  }

  /**
   * Prepare mode: computes `nodes` into `Q` and returns where each starts
   * (a scalar is stored too; nothing is left inline for a reader).
   */
  prepare(nodes: readonly Node[]): Map<number, number> {
    const p = plan(nodes, (n) => this.done.has(n.id));
    for (const [id, k] of p.kind) this.kind.set(id, k);
    for (const n of nodes) this.kind.set(n.id, n.shape.length === 0 ? "scalar" : "buffer");
    for (const n of p.order) this.ensure(n);
    return new Map(
      nodes.map((n) => {
        if (n.shape.length > 0) return [n.id, this.slot(String(n.id), sizeOf(n.shape))];
        const at = this.slot(String(n.id), 1);
        this.emit(`Q[${at}] = s${n.id};`);
        return [n.id, at];
      }),
    );
  }

  private ensure(n: Node): void {
    if (this.done.has(n.id)) return;
    this.done.add(n.id);
    this.realize(n);
  }

  /** Emits nested loops over `shape`, calling `body` with the index variables. */
  loops(shape: Shape, body: (idx: string[]) => void): void {
    const idx: string[] = [];
    let open = 0;
    for (const d of shape) {
      if (d === 1) {
        idx.push("0");
        continue;
      }
      const v = this.fresh("i");
      this.emit(`for (var ${v} = 0; ${v} < ${d}; ${v}++) {`);
      this.depth++;
      open++;
      idx.push(v);
    }
    body(idx);
    for (let k = 0; k < open; k++) {
      this.depth--;
      this.emit("}");
    }
  }

  private slot(key: string, size: number): number {
    let s = this.slots.get(key);
    if (s === undefined) {
      s = this.scratch;
      this.slots.set(key, s);
      this.scratch += Math.max(1, size);
    }
    return s;
  }

  /** Scratch element `flat` of the array at slot `base`, for this point. */
  private scratchAt(base: number, flat: string): string {
    return this.mode.kind === "prepare" ? `Q[${plus(base, flat)}]` : `S[(${plus(base, flat)}) * N + p]`;
  }

  private bufferAt(n: Node, flat: string): string {
    return this.scratchAt(this.slot(String(n.id), sizeOf(n.shape)), flat);
  }

  /** Element `flat` (row-major) of a node stored whole: a leaf, a buffer or a scan result. */
  private flatAt(n: Node, flat: string): string | undefined {
    switch (this.kind.get(n.id)) {
      case "pre":
        return `Q[${plus((this.mode as { prepared: ReadonlyMap<number, number> }).prepared.get(n.id) as number, flat)}]`;
      case "leaf":
        if (n.op === "param") return `th[TH + ${plus((n.arg as Arg<"param">).offset, flat)}]`;
        if (n.op === "data") return `D[${plus(this.dataOffset(n as Node<"data">), flat)}]`;
        return `D[${plus(this.tables.float((n.arg as Arg<"const">).values), flat)}]`;
      case "buffer":
        return this.bufferAt(n, flat);
      case "result": {
        const scan = n.src[0];
        const index = (n.arg as Arg<"scanResult">).index;
        return this.scratchAt(this.resultSlot(scan as Node<"scan">, index), flat);
      }
      default:
        return undefined;
    }
  }

  /** A WGSL expression for element `idx` of `n` (an inline node's value is bound to a `let` first). */
  at(n: Node, idx: readonly string[]): string {
    const stored = this.flatAt(n, flatIndex(n.shape, idx));
    if (stored !== undefined) return stored;
    switch (this.kind.get(n.id)) {
      case "literal":
        return literal((n.arg as Arg<"const">).values[0]);
      case "scalar":
        return `s${n.id}`;
      case "inline": {
        const name = this.fresh("e");
        this.emit(`let ${name} = ${this.elementwise(n, idx)};`);
        return name;
      }
      case "view":
        return (this.viewRules[n.op as ViewOp] as (n: Node, x: Node, idx: readonly string[]) => string)(n, n.src[0], idx);
      case "placeholder": {
        const read = this.placeholderAt.get(n.id);
        if (read === undefined) throw new Error(`WGSL codegen: placeholder ${n.id} read outside its loop`);
        return read(idx);
      }
      default:
        throw new Error(`WGSL codegen: node ${n.id} (${n.op}) was not planned`);
    }
  }

  private elementwise(n: Node, idx: readonly string[]): string {
    if (isUnary(n.op)) return unaryWgsl[n.op](this.at(n.src[0], idx));
    if (isBinary(n.op)) return binaryWgsl[n.op](this.at(n.src[0], idx), this.at(n.src[1], idx));
    throw new Error(`WGSL codegen: ${n.op} is not elementwise`);
  }

  /** How element `idx` of each view reads its source. */
  private readonly viewRules: { readonly [K in ViewOp]: (n: Node<K>, x: Node, idx: readonly string[]) => string } = {
    broadcast: (n, x, idx) => this.at(x, broadcastSourceIndex(n.shape, x.shape, idx)),
    transpose: (_n, x, idx) => this.at(x, [idx[1], idx[0]]),
    gather: (n, x, idx) => this.at(x, [`I[${plus(this.tables.index(n.arg.indices), idx[0])}]`, ...idx.slice(1)]),
    reshape: (n, x, idx) => {
      const flat = flatIndex(n.shape, idx);
      const stored = this.flatAt(x, flat);
      if (stored !== undefined) return stored;
      const strides = stridesOf(x.shape);
      return this.at(
        x,
        x.shape.map((d, j) => (d === 1 ? "0" : `((${flat}) / ${strides[j]}) % ${d}`)),
      );
    },
  };

  /** Emits the statements realizing `n` (leaves, views and inline nodes are read where used). */
  private realize(n: Node): void {
    const k = this.kind.get(n.id);
    if (k === "scan") return this.realizeScan(n as Node<"scan">);
    if (k !== "scalar" && k !== "buffer") return;
    const scalar = k === "scalar";
    const define = (expr: string) => this.emit(`let s${n.id} = ${expr};`);
    if (isUnary(n.op) || isBinary(n.op)) {
      if (scalar) define(this.elementwise(n, []));
      else
        this.loops(n.shape, (idx) => {
          const v = this.elementwise(n, idx);
          this.emit(`${this.at(n, idx)} = ${v};`);
        });
      return;
    }
    if (isView(n.op)) {
      // Only a scalar view is realized (other views are read in place).
      define((this.viewRules[n.op as ViewOp] as (n: Node, x: Node, idx: readonly string[]) => string)(n, n.src[0], []));
      return;
    }
    const rule = this.realizeRules[n.op as RealizedOp] as ((n: Node, scalar: boolean) => void) | undefined;
    if (rule === undefined) throw new Error(`WGSL codegen: no rule for ${n.op}`);
    rule(n, scalar);
  }

  /**
   * A compensated sum (Neumaier) of `term(idx)` over `shape`, bound to
   * `let name`: float32 sums of many terms keep their relative precision.
   */
  private sum(name: string, shape: Shape, term: (idx: string[]) => string): void {
    const [s, c] = [this.fresh("a"), this.fresh("c")];
    this.emit(`var ${s} = 0.0;`);
    this.emit(`var ${c} = 0.0;`);
    this.loops(shape, (idx) => {
      const x = this.fresh("x");
      const t = this.fresh("t");
      this.emit(`let ${x} = ${term(idx)};`);
      this.emit(`let ${t} = ${s} + ${x};`);
      this.emit(`${c} = ${c} + select((${x} - ${t}) + ${s}, (${s} - ${t}) + ${x}, abs(${s}) >= abs(${x}));`);
      this.emit(`${s} = ${t};`);
    });
    this.emit(`let ${name} = total_(${s}, ${c});`);
  }

  /** Rules of the ops that are neither elementwise nor views; `scalar`: the node is a `let`, else a buffer. */
  private readonly realizeRules: { readonly [K in RealizedOp]: (n: Node<K>, scalar: boolean) => void } = {
    sum: (n, scalar) => {
      const x = n.src[0];
      const axis = n.arg.axis;
      if (axis === null || x.shape.length === 1) return this.sum(`s${n.id}`, x.shape, (idx) => this.at(x, idx));
      const outer = x.shape.filter((_, j) => j !== axis);
      this.loops(outer, (o) => {
        const v = this.fresh("r");
        this.sum(v, [x.shape[axis]], ([k]) => this.at(x, [...o.slice(0, axis), k, ...o.slice(axis)]));
        if (scalar) throw new Error("WGSL codegen: a sum over one axis of a matrix is not a scalar");
        this.emit(`${this.at(n, o)} = ${v};`);
      });
    },
    sumTo: (n, scalar) => {
      const x = n.src[0];
      const lead = x.shape.length - n.shape.length;
      // Reduced axes: the leading ones, and those where the target has size 1.
      const reduced = x.shape.map((_, j) => j).filter((j) => j < lead || (n.shape[j - lead] === 1 && x.shape[j] !== 1));
      const kept = (o: readonly string[], r: readonly string[]) => {
        const idx: string[] = [];
        let q = 0;
        x.shape.forEach((_, j) => idx.push(reduced.includes(j) ? r[q++] : o[j - lead]));
        return idx;
      };
      const emitOne = (o: readonly string[], name: string) =>
        this.sum(
          name,
          reduced.map((j) => x.shape[j]),
          (r) => this.at(x, kept(o, r)),
        );
      if (scalar) return emitOne([], `s${n.id}`);
      this.loops(n.shape, (o) => {
        const v = this.fresh("r");
        emitOne(o, v);
        this.emit(`${this.at(n, o)} = ${v};`);
      });
    },
    logSumExp: (n, scalar) => {
      const x = n.src[0];
      const axis = n.arg.axis;
      const one = (name: string, shape: Shape, read: (idx: string[]) => string) => {
        const m = this.fresh("m");
        this.emit(`var ${m} = ${NEG_INF};`);
        this.loops(shape, (idx) => this.emit(`${m} = max(${m}, ${read(idx)});`));
        // Shift by the maximum, by 0 where it is infinite (−∞ rows give −∞, +∞ gives +∞).
        const shift = this.fresh("h");
        this.emit(`let ${shift} = select(0.0, ${m}, finite_(${m}));`);
        const z = this.fresh("z");
        this.sum(z, shape, (idx) => `exp(${read(idx)} - ${shift})`);
        this.emit(`let ${name} = log(${z}) + ${shift};`);
      };
      if (axis === null || x.shape.length === 1) return one(`s${n.id}`, x.shape, (idx) => this.at(x, idx));
      if (scalar) throw new Error("WGSL codegen: logSumExp over one axis of a matrix is not a scalar");
      const outer = x.shape.filter((_, j) => j !== axis);
      this.loops(outer, (o) => {
        const v = this.fresh("r");
        one(v, [x.shape[axis]], ([k]) => this.at(x, [...o.slice(0, axis), k, ...o.slice(axis)]));
        this.emit(`${this.at(n, o)} = ${v};`);
      });
    },
    scatterAdd: (n) => {
      const x = n.src[0];
      this.loops(n.shape, (idx) => this.emit(`${this.at(n, idx)} = 0.0;`));
      const ind = this.tables.index(n.arg.indices);
      this.loops(x.shape, (idx) => {
        const target = this.bufferAt(n, flatIndex(n.shape, [`I[${plus(ind, idx[0])}]`, ...idx.slice(1)]));
        this.emit(`${target} = ${target} + ${this.at(x, idx)};`);
      });
    },
    concat: (n) => {
      let start = 0;
      for (const part of n.src) {
        const s0 = start;
        this.loops(part.shape, (idx) => {
          const v = this.at(part, idx);
          this.emit(`${this.at(n, [plus(s0, idx[0]), ...idx.slice(1)])} = ${v};`);
        });
        start += part.shape[0];
      }
    },
    cumsum: (n) => {
      const x = n.src[0];
      this.loops(x.shape.slice(1), (r) => {
        const acc = this.fresh("a");
        this.emit(`var ${acc} = 0.0;`);
        this.loops([x.shape[0]], ([i]) => {
          this.emit(`${acc} = ${acc} + ${this.at(x, [i, ...r])};`);
          this.emit(`${this.at(n, [i, ...r])} = ${acc};`);
        });
      });
    },
    matmul: (n, scalar) => {
      const [a, b] = n.src;
      const m = a.shape.length === 2 ? a.shape[0] : 1;
      const inner = a.shape[a.shape.length - 1];
      const q = b.shape.length === 2 ? b.shape[1] : 1;
      const aIdx = (i: string, k: string) => (a.shape.length === 2 ? [i, k] : [k]);
      const bIdx = (k: string, j: string) => (b.shape.length === 2 ? [k, j] : [k]);
      const dot = (name: string, i: string, j: string) =>
        this.sum(name, [inner], ([k]) => `${this.at(a, aIdx(i, k))} * ${this.at(b, bIdx(k, j))}`);
      if (scalar) return dot(`s${n.id}`, "0", "0");
      this.loops([m, q], ([i, j]) => {
        const v = this.fresh("r");
        dot(v, i, j);
        this.emit(`${this.at(n, [...(a.shape.length === 2 ? [i] : []), ...(b.shape.length === 2 ? [j] : [])])} = ${v};`);
      });
    },
    cholesky: (n) => {
      const a = n.src[0];
      const k = n.shape[0];
      this.loops([k, k], ([i, j]) => this.emit(`${this.at(n, [i, j])} = ${this.at(a, [i, j])};`));
      const L = (i: string, j: string) => this.at(n, [i, j]);
      // In place, row by row; a non-positive pivot makes the factor NaN (log p becomes NaN, a divergence).
      const [i, j, q] = [this.fresh("i"), this.fresh("i"), this.fresh("i")];
      this.emit(`for (var ${i} = 0; ${i} < ${k}; ${i}++) {`);
      this.emit(`  for (var ${j} = 0; ${j} <= ${i}; ${j}++) {`);
      this.emit(`    var s = ${L(i, j)};`);
      this.emit(`    for (var ${q} = 0; ${q} < ${j}; ${q}++) { s = s - ${L(i, q)} * ${L(j, q)}; }`);
      this.emit(`    ${L(i, j)} = select(s / ${L(j, j)}, select(${NAN}, sqrt(s), s > 0.0), ${i} == ${j});`);
      this.emit(`  }`);
      this.emit(`  for (var ${j} = ${i} + 1; ${j} < ${k}; ${j}++) { ${L(i, j)} = 0.0; }`);
      this.emit(`}`);
    },
    triSolve: (n) => {
      const [l, b] = n.src;
      const k = l.shape[0];
      const cols = b.shape.length === 2 ? b.shape[1] : 1;
      const bIdx = (i: string, c: string) => (b.shape.length === 2 ? [i, c] : [i]);
      this.loops([k, cols], ([i, c]) => this.emit(`${this.at(n, bIdx(i, c))} = ${this.at(b, bIdx(i, c))};`));
      const [c, i, j] = [this.fresh("i"), this.fresh("i"), this.fresh("i")];
      const o = (r: string) => this.at(n, bIdx(r, c));
      const L = (r: string, s: string) => this.at(l, [r, s]);
      this.emit(`for (var ${c} = 0; ${c} < ${cols}; ${c}++) {`);
      if (!n.arg.transpose) {
        this.emit(`  for (var ${i} = 0; ${i} < ${k}; ${i}++) {`);
        this.emit(`    var s = ${o(i)};`);
        this.emit(`    for (var ${j} = 0; ${j} < ${i}; ${j}++) { s = s - ${L(i, j)} * ${o(j)}; }`);
      } else {
        this.emit(`  for (var ${i} = ${k - 1}; ${i} >= 0; ${i}--) {`);
        this.emit(`    var s = ${o(i)};`);
        this.emit(`    for (var ${j} = ${i} + 1; ${j} < ${k}; ${j}++) { s = s - ${L(j, i)} * ${o(j)}; }`);
      }
      this.emit(`    ${o(i)} = s / ${L(i, i)};`);
      this.emit(`  }`);
      this.emit(`}`);
    },
  };

  /** The slot of a scan's result `index` (final carries, then stacked outputs, then carry histories). */
  private resultSlot(scan: Node<"scan">, index: number): number {
    const a = scan.arg;
    const nC = a.carry.length;
    const nO = a.outputs.length;
    if (index < nC) return this.slot(`${scan.id}:${index}`, sizeOf(a.carry[index].shape));
    if (index < nC + nO) return this.slot(`${scan.id}:${index}`, a.length * sizeOf(a.outputs[index - nC].shape));
    return this.slot(`${scan.id}:${index}`, a.length * sizeOf(a.carry[index - nC - nO].shape));
  }

  /**
   * A scan as a loop: the carries in their result slots, the body's nodes
   * (those that depend on the placeholders) realized inside the loop, the
   * next carries staged and then copied, every carry's history and every
   * output stacked by step.
   */
  private realizeScan(n: Node<"scan">): void {
    const a = n.arg;
    const nC = a.carry.length;
    const nO = a.outputs.length;
    const init = n.src.slice(0, nC);
    const seqs = n.src.slice(nC, nC + a.slices.length);
    for (const s of n.src) this.ensure(s);
    const carryAt = (i: number, flat: string) => this.scratchAt(this.resultSlot(n, i), flat);
    init.forEach((c, i) => this.loops(c.shape, (idx) => this.emit(`${carryAt(i, flatIndex(c.shape, idx))} = ${this.at(c, idx)};`)));
    const own = new Set<number>([...a.carry, ...a.slices].map((x) => x.id));
    const roots = [...a.nextCarry, ...a.outputs];
    const body = plan(roots, (x) => own.has(x.id) || this.done.has(x.id));
    const inner = new Set<number>();
    for (const x of body.order) if (own.has(x.id) || x.src.some((s) => inner.has(s.id))) inner.add(x.id);
    for (const x of body.order) if (inner.has(x.id) || !this.kind.has(x.id)) this.kind.set(x.id, body.kind.get(x.id) as Kind);
    const t = this.fresh("t");
    this.emit(`for (var ${t} = 0; ${t} < ${a.length}; ${t}++) {`);
    this.depth++;
    a.carry.forEach((ph, i) => {
      const size = sizeOf(ph.shape);
      this.placeholderAt.set(ph.id, (idx) => carryAt(i, flatIndex(ph.shape, idx)));
      this.loops(ph.shape, (idx) => {
        const f = flatIndex(ph.shape, idx);
        this.emit(`${this.scratchAt(this.resultSlot(n, nC + nO + i), `${t} * ${size} + ${f}`)} = ${carryAt(i, f)};`);
      });
    });
    seqs.forEach((s, j) => this.placeholderAt.set(a.slices[j].id, (idx) => this.at(s, [t, ...idx])));
    // Body nodes are scoped to the loop: marked done here, forgotten after it.
    const before = new Set(this.done);
    for (const x of body.order) if (!own.has(x.id)) this.ensure(x);
    a.outputs.forEach((o, j) => {
      const size = sizeOf(o.shape);
      this.loops(o.shape, (idx) => {
        const v = this.at(o, idx);
        this.emit(`${this.scratchAt(this.resultSlot(n, nC + j), `${t} * ${size} + ${flatIndex(o.shape, idx)}`)} = ${v};`);
      });
    });
    // Next carries are read before any is overwritten.
    const staged = a.nextCarry.map((c) => {
      const slot = this.slot(`${n.id}:next:${c.id}`, sizeOf(c.shape));
      this.loops(c.shape, (idx) => {
        const v = this.at(c, idx);
        this.emit(`${this.scratchAt(slot, flatIndex(c.shape, idx))} = ${v};`);
      });
      return slot;
    });
    a.nextCarry.forEach((c, i) =>
      this.loops(c.shape, (idx) => {
        const f = flatIndex(c.shape, idx);
        this.emit(`${carryAt(i, f)} = ${this.scratchAt(staged[i], f)};`);
      }),
    );
    this.depth--;
    this.emit("}");
    for (const x of [...this.done]) if (!before.has(x)) this.done.delete(x);
    for (const p of [...a.carry, ...a.slices]) this.placeholderAt.delete(p.id);
  }
}
