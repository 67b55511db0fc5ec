/**
 * Builds IR nodes: interning (structural sharing), shape inference, constant
 * folding through the reference interpreter, and a few algebraic identities
 * (x + 0, x · 1, −(−x)) that keep gradients small.
 * @module
 */
import type { BinaryOp } from "../tensor/ops.ts";
import { broadcastShapes, sameShape, type Shape, sizeOf } from "../tensor/shape.ts";
import { numTensor } from "../numeric/ops.ts";
import { evaluateNode, type NodeHead } from "./evaluate.ts";
import type { Arg, ElementwiseUnary, Node, Op, ScanArg } from "./node.ts";
import { topoSort } from "./walk.ts";

const INTERN_CONST_MAX = 64;

function argKey(op: Op, arg: unknown, fresh: () => number): string {
  if (arg === undefined) return "";
  switch (op) {
    case "const": {
      const v = (arg as Arg<"const">).values;
      if (v.length <= INTERN_CONST_MAX) return Array.from(v, String).join(",");
      // Large constants are not compared, except uniform ones (broadcast scalars), which are common and cheap to check.
      return v.every((x) => Object.is(x, v[0])) ? `${Object.is(v[0], -0) ? "-0" : String(v[0])}x${v.length}` : `#${fresh()}`;
    }
    case "param":
      return String((arg as Arg<"param">).offset);
    case "data":
      return String((arg as Arg<"data">).index);
    case "gather":
      return (arg as Arg<"gather">).indices.join(",");
    case "scan":
    case "placeholder":
      return `#${fresh()}`;
    case "scatterAdd": {
      const a = arg as Arg<"scatterAdd">;
      return `${a.length}:${a.indices.join(",")}`;
    }
    default:
      return JSON.stringify(arg);
  }
}

/** The graph of one model: owns its nodes, its parameters and its data. */
export class Graph {
  private readonly table = new Map<string, Node>();
  private nextId = 0;
  private uniq = 0;
  /** Parameter leaves in θ order. */
  readonly params: Node<"param">[] = [];
  /** Data leaves in registration order. */
  readonly data: Node<"data">[] = [];

  /** The interned node for a structure (no folding, no checks). */
  make<K extends Op>(op: K, shape: Shape, src: readonly Node[], arg: Arg<K>): Node<K> {
    const key = `${op}|${shape.join("x")}|${src.map((s) => s.id).join(",")}|${argKey(op, arg, () => this.uniq++)}`;
    const hit = this.table.get(key);
    if (hit !== undefined) return hit as Node<K>;
    const node: Node<K> = Object.freeze({ id: this.nextId++, op, shape: Object.freeze([...shape]), src: Object.freeze([...src]), arg });
    this.table.set(key, node);
    return node;
  }

  /** Number of distinct nodes created. */
  get size(): number {
    return this.nextId;
  }

  /** Every node created, reachable or not, in creation (id) order. */
  nodes(): IterableIterator<Node> {
    return this.table.values();
  }

  constant(values: Float64Array, shape: Shape): Node {
    return this.make("const", shape, [], { values });
  }

  scalar(x: number): Node {
    return this.constant(Float64Array.of(x), []);
  }

  param(offset: number, size: number, site: string): Node {
    const p = this.make("param", [size], [], { offset, site });
    if (!this.params.includes(p)) this.params.push(p);
    return p;
  }

  dataLeaf(name: string, values: Float64Array, shape: Shape): Node {
    const d = this.make("data", shape, [], { index: this.data.length, name, values });
    this.data.push(d);
    return d;
  }

  /** The constant value of a node, if it is one. */
  static constValue(n: Node): Float64Array | undefined {
    return n.op === "const" ? (n.arg as Arg<"const">).values : undefined;
  }

  /** Whether `n` is a constant whose elements all equal `x`. */
  static isConstEqual(n: Node, x: number): boolean {
    const v = Graph.constValue(n);
    return v !== undefined && v.every((e) => e === x);
  }

  /** The constant a node of `head` over constants `src` folds to (see evaluate.ts); undefined where a source is not constant. */
  private fold(head: NodeHead, src: readonly Node[]): Node | undefined {
    if (!src.every((s) => s.op === "const")) return undefined;
    const r = evaluateNode(
      head,
      src.map((s) => numTensor((s.arg as Arg<"const">).values, s.shape)),
    );
    return r === undefined ? undefined : this.constant(r.v, r.shape);
  }

  unary(op: ElementwiseUnary, x: Node): Node {
    if (op === "neg" && x.op === "neg") return x.src[0];
    return this.fold({ op, shape: x.shape, arg: undefined }, [x]) ?? this.make(op, x.shape, [x], undefined);
  }

  binary(op: BinaryOp, a: Node, b: Node): Node {
    if (!sameShape(a.shape, b.shape)) throw new Error(`IR: ${op} of ${a.shape} and ${b.shape}`);
    const f = this.fold({ op, shape: a.shape, arg: undefined }, [a, b]);
    if (f) return f;
    switch (op) {
      case "add":
        if (Graph.isConstEqual(b, 0)) return a;
        if (Graph.isConstEqual(a, 0)) return b;
        break;
      case "sub":
        if (Graph.isConstEqual(b, 0)) return a;
        if (Graph.isConstEqual(a, 0)) return this.unary("neg", b);
        break;
      case "mul":
        if (Graph.isConstEqual(b, 1)) return a;
        if (Graph.isConstEqual(a, 1)) return b;
        if (Graph.isConstEqual(a, -1)) return this.unary("neg", b);
        if (Graph.isConstEqual(b, -1)) return this.unary("neg", a);
        break;
      case "div":
        if (Graph.isConstEqual(b, 1)) return a;
        break;
      default:
    }
    return this.make(op, a.shape, [a, b], undefined);
  }

  /** Elementwise binary with NumPy broadcasting (for gradient rules). */
  bin(op: BinaryOp, a: Node, b: Node): Node {
    const shape = broadcastShapes([a.shape, b.shape]);
    return this.binary(op, this.broadcast(a, shape), this.broadcast(b, shape));
  }

  broadcast(x: Node, shape: Shape): Node {
    if (sameShape(x.shape, shape)) return x;
    const v = Graph.constValue(x);
    if (v !== undefined && v.length === 1) return this.constant(new Float64Array(sizeOf(shape)).fill(v[0]), shape);
    const f = this.fold({ op: "broadcast", shape, arg: undefined }, [x]);
    if (f) return f;
    if (x.op === "broadcast") return this.make("broadcast", shape, [x.src[0]], undefined);
    return this.make("broadcast", shape, [x], undefined);
  }

  /** Sums `x` down to `shape` (the transpose of broadcasting). */
  sumTo(x: Node, shape: Shape): Node {
    if (sameShape(x.shape, shape)) return x;
    if (shape.length === 0) return this.sum(x, null);
    if (x.op === "broadcast" && sameShape(x.src[0].shape, shape)) {
      // sumTo(broadcast(y)) = y · (number of copies)
      return this.binary("mul", x.src[0], this.broadcast(this.scalar(sizeOf(x.shape) / sizeOf(shape)), shape));
    }
    return this.make("sumTo", shape, [x], undefined);
  }

  reshape(x: Node, shape: Shape): Node {
    if (sameShape(x.shape, shape)) return x;
    const v = Graph.constValue(x);
    if (v !== undefined) return this.constant(v, shape);
    if (x.op === "reshape") return this.reshape(x.src[0], shape);
    return this.make("reshape", shape, [x], undefined);
  }

  sum(x: Node, axis: number | null): Node {
    if (axis === null && x.shape.length === 0) return x;
    const shape = axis === null ? [] : x.shape.filter((_, k) => k !== axis);
    const f = this.fold({ op: "sum", shape, arg: { axis } }, [x]);
    if (f) return f;
    if (axis === null && x.op === "broadcast" && x.src[0].shape.length === 0) {
      return this.binary("mul", x.src[0], this.scalar(sizeOf(x.shape)));
    }
    return this.make("sum", shape, [x], { axis });
  }

  logSumExp(x: Node, axis: number | null): Node {
    const shape = axis === null ? [] : x.shape.filter((_, k) => k !== axis);
    const f = this.fold({ op: "logSumExp", shape, arg: { axis } }, [x]);
    if (f) return f;
    return this.make("logSumExp", shape, [x], { axis });
  }

  gather(x: Node, indices: Int32Array): Node {
    const n = x.shape[0];
    if (indices.length === n && indices.every((v, i) => v === i)) return x;
    const f = this.fold({ op: "gather", shape: [indices.length, ...x.shape.slice(1)], arg: { indices } }, [x]);
    if (f) return f;
    if (x.op === "gather") {
      const inner = (x.arg as Arg<"gather">).indices;
      return this.gather(
        x.src[0],
        Int32Array.from(indices, (i) => inner[i]),
      );
    }
    return this.make("gather", [indices.length, ...x.shape.slice(1)], [x], { indices });
  }

  /** Adds rows of `x` into rows `indices` of a zero tensor of first dimension `length`. */
  scatterAdd(x: Node, indices: Int32Array, length: number): Node {
    if (indices.length === length && indices.every((v, i) => v === i)) return x;
    return this.make("scatterAdd", [length, ...x.shape.slice(1)], [x], { indices, length });
  }

  concat(xs: readonly Node[]): Node {
    if (xs.length === 1) return xs[0];
    const shape = [xs.reduce((acc, x) => acc + x.shape[0], 0), ...xs[0].shape.slice(1)];
    return this.fold({ op: "concat", shape, arg: undefined }, xs) ?? this.make("concat", shape, xs, undefined);
  }

  transpose(x: Node): Node {
    if (x.op === "transpose") return x.src[0];
    const shape = [x.shape[1], x.shape[0]];
    return this.fold({ op: "transpose", shape, arg: undefined }, [x]) ?? this.make("transpose", shape, [x], undefined);
  }

  matmul(a: Node, b: Node): Node {
    const shape = [...a.shape.slice(0, -1), ...b.shape.slice(1)];
    const f = this.fold({ op: "matmul", shape, arg: undefined }, [a, b]);
    if (f) return f;
    return this.make("matmul", shape, [a, b], undefined);
  }

  cholesky(a: Node): Node {
    const f = this.fold({ op: "cholesky", shape: a.shape, arg: undefined }, [a]);
    if (f) return f;
    return this.make("cholesky", a.shape, [a], undefined);
  }

  triSolve(l: Node, b: Node, transpose: boolean): Node {
    const f = this.fold({ op: "triSolve", shape: b.shape, arg: { transpose } }, [l, b]);
    if (f) return f;
    return this.make("triSolve", b.shape, [l, b], { transpose });
  }

  /** A fresh loop-body input. */
  placeholder(shape: Shape): Node<"placeholder"> {
    return this.make("placeholder", shape, [], { unique: this.uniq++ });
  }

  /**
   * A scan whose body is already built over `carry` and `slices`
   * placeholders. Returns the final carries, the stacked outputs and the
   * carry histories (the carry before each step, for the gradient).
   */
  scanFromBody(
    body: Omit<ScanArg, "free">,
    init: readonly Node[],
    sequences: readonly Node[],
  ): { carry: Node[]; outputs: Node[]; history: Node[] } {
    const own = new Set<number>([...body.carry, ...body.slices].map((p) => p.id));
    const roots = [...body.nextCarry, ...body.outputs];
    const inner = new Set<number>();
    const order = topoSort(roots, (n) => own.has(n.id));
    for (const n of order) if (own.has(n.id) || n.src.some((s) => inner.has(s.id))) inner.add(n.id);
    // Free values: outer nodes read by the body (constants are emitted in place).
    const free: Node[] = [];
    const add = (n: Node) => {
      if (!inner.has(n.id) && n.op !== "const" && !free.includes(n)) free.push(n);
    };
    for (const n of order) if (inner.has(n.id)) n.src.forEach(add);
    roots.forEach(add);
    const scan = this.make("scan", [], [...init, ...sequences, ...free], { ...body, free: free.length });
    const results: Node[] = [];
    const shapes = [
      ...init.map((c) => c.shape),
      ...body.outputs.map((o) => [body.length, ...o.shape]),
      ...init.map((c) => [body.length, ...c.shape]),
    ];
    shapes.forEach((shape, index) => results.push(this.make("scanResult", shape, [scan], { index })));
    const k = init.length;
    return {
      carry: results.slice(0, k),
      outputs: results.slice(k, k + body.outputs.length),
      history: results.slice(k + body.outputs.length),
    };
  }

  /** A scan over the first axis of `sequences`, tracing `body` once. */
  scan(
    body: (carry: readonly Node[], slices: readonly Node[]) => { carry: readonly Node[]; outputs: readonly Node[] },
    init: readonly Node[],
    sequences: readonly Node[],
    length: number,
  ): { carry: Node[]; outputs: Node[] } {
    const carry = init.map((c) => this.placeholder(c.shape));
    const slices = sequences.map((s) => this.placeholder(s.shape.slice(1)));
    const out = body(carry, slices);
    const r = this.scanFromBody({ length, carry, slices, nextCarry: out.carry, outputs: out.outputs }, init, sequences);
    return { carry: r.carry, outputs: r.outputs };
  }

  cumsum(x: Node): Node {
    const f = this.fold({ op: "cumsum", shape: x.shape, arg: undefined }, [x]);
    if (f) return f;
    return this.make("cumsum", x.shape, [x], undefined);
  }
}
