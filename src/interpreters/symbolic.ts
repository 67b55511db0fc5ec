/**
 * The symbolic interpreter: values are expressions that know their shape,
 * how they print and which sites and data they depend on. The printers
 * (pretty, dot) run a model through it.
 *
 * Expressions are built as Stan would write them: `exp(x)`, `a * b`,
 * `y[2:200]`, `cholesky_decompose(K)`. Composite operations that the algebra
 * lowers to primitives (square, logit, mean, diagonal, add_diag,
 * gp_exp_quad_cov, …) are recognised at construction and print as one call.
 * Indices print 1-based, as in Stan. A `scan` becomes a statement (a loop
 * over the steps) and its results named variables.
 * @module
 */
import { type Model, type ObserveSite, type Outputs, runModel, type SampleSite, type SiteHandler } from "../dsl/model.ts";
import type { BinaryOp, TensorOps, UnaryOp } from "../tensor/ops.ts";
import { sameShape, type Shape, sizeOf } from "../tensor/shape.ts";
import type { Tensor } from "../dsl/tensor.ts";
import { numericOps, numTensor, type NumTensor } from "../numeric/ops.ts";

/** A variable a scan introduces: its carried state, its stacked outputs or its step counter. */
export interface Local {
  readonly id: number;
  readonly role: "state" | "output" | "step";
  /** How many scans enclose the one that made it. */
  readonly depth: number;
}

/** A binary operator, with Stan's elementwise variants. */
export type InfixOp = "+" | "-" | "*" | "/" | "^" | ".*" | "./" | ".^";

/** A printable expression. Indices and ranges are stored 1-based, as printed. */
export type Expr =
  | { readonly k: "num"; readonly value: number }
  | { readonly k: "const"; readonly values: Float64Array; readonly shape: Shape }
  | { readonly k: "name"; readonly name: string }
  /** A scan variable; a state read inside the loop body is its `previous` value. */
  | { readonly k: "local"; readonly local: Local; readonly at?: "previous" | "final"; readonly scan?: ScanStatement }
  | { readonly k: "call"; readonly fn: string; readonly args: readonly Expr[] }
  | { readonly k: "kw"; readonly key: string; readonly value: Expr }
  | { readonly k: "op"; readonly op: InfixOp; readonly a: Expr; readonly b: Expr }
  | { readonly k: "neg"; readonly x: Expr }
  | { readonly k: "index"; readonly x: Expr; readonly index: readonly Expr[] }
  | { readonly k: "range"; readonly from: number; readonly to: number }
  /** A vector literal `[a, b]` (`brace`: an index array `{1, 3}`). */
  | { readonly k: "list"; readonly items: readonly Expr[]; readonly brace?: boolean }
  | { readonly k: "transpose"; readonly x: Expr }
  /** A summary that is not an expression (`{40 indices}`). */
  | { readonly k: "text"; readonly text: string };

/** How a value was made: the primitive and its operands, for recognising composites. */
export interface Src {
  readonly op: string;
  readonly args: readonly Sym[];
  readonly axis?: number | null;
  readonly indices?: Int32Array;
}

/** The symbolic interpreter's value. */
export interface Sym {
  readonly shape: Shape;
  readonly expr: Expr;
  /** Names of the sites and data this value depends on. */
  readonly deps: ReadonlySet<string>;
  readonly src: Src;
  /** The value, when it depends on constants only (folded as the graph builder folds). */
  readonly constant?: NumTensor;
  /** The values of a data site. */
  readonly data?: Float64Array;
}

/** A scan: a loop of `length` steps updating `states` and stacking `outputs`. */
export interface ScanStatement {
  readonly kind: "scan";
  readonly length: number;
  readonly step: Local;
  readonly states: readonly { readonly local: Local; readonly init: Sym; readonly next: Sym }[];
  readonly outputs: readonly { readonly local: Local; readonly value: Sym }[];
  /** Statements made while tracing the body (nested scans). */
  readonly body: readonly Statement[];
}

/** What a model did, in program order. */
export type Statement =
  | { readonly kind: "data"; readonly name: string; readonly value: Sym }
  | { readonly kind: "sample"; readonly site: SampleSite; readonly value: Sym }
  | { readonly kind: "observe"; readonly site: ObserveSite }
  | { readonly kind: "deterministic"; readonly name: string; readonly value: Sym }
  | { readonly kind: "factor"; readonly name: string; readonly logp: Sym }
  | ScanStatement;

/** Where statements go: swapped while a scan body is traced, so nested statements land in the body. */
export interface StatementSink {
  statements: Statement[];
}

/** The symbolic value behind a model tensor. */
export const asSym = (t: Tensor): Sym => t as unknown as Sym;
const asTensor = (s: Sym): Tensor => s as unknown as Tensor;

/** Constants and index lists up to this many elements print inline. */
export const MAX_INLINE = 8;

const NO_DEPS: ReadonlySet<string> = new Set();

function union(syms: readonly Sym[]): ReadonlySet<string> {
  const sets = [...new Set(syms.map((s) => s.deps))].filter((d) => d.size > 0);
  if (sets.length <= 1) return sets[0] ?? NO_DEPS;
  const out = new Set<string>();
  for (const d of sets) for (const n of d) out.add(n);
  return out;
}

/** A value made by `op` from `args`; folded when every operand is a constant. */
function make(shape: Shape, expr: Expr, src: Src, fold: (xs: NumTensor[]) => NumTensor): Sym {
  const consts = src.args.map((a) => a.constant);
  const constant = consts.every((c) => c !== undefined) ? fold(consts as NumTensor[]) : undefined;
  return { shape, expr, deps: union(src.args), src, constant };
}

/** A named leaf: a site, a data array, a scan variable. */
export function leaf(shape: Shape, expr: Expr, deps: ReadonlySet<string>, extra: Partial<Pick<Sym, "constant" | "data">> = {}): Sym {
  return { shape, expr, deps, src: { op: "leaf", args: [] }, ...extra };
}

const num = (value: number): Expr => ({ k: "num", value });
const call = (fn: string, ...args: Expr[]): Expr => ({ k: "call", fn, args });
const is = (s: Sym, op: string): boolean => s.src.op === op;
const arg = (s: Sym, i = 0): Sym => s.src.args[i];
const isSquare = (s: Sym): boolean => is(s, "mul") && arg(s, 0) === arg(s, 1);
const scalarConst = (s: Sym, x: number): boolean => s.shape.length === 0 && s.constant?.v[0] === x;
/** The operand before broadcasting. */
const unbroadcast = (s: Sym): Sym => (is(s, "broadcast") ? arg(s) : s);
const nonUnitDims = (shape: Shape): number => shape.filter((d) => d !== 1).length;

function contiguous(indices: Int32Array): boolean {
  return indices.length > 0 && indices.every((i, k) => i === indices[0] + k);
}

function isIdentity(s: Sym): boolean {
  const c = s.constant;
  if (c === undefined || s.shape.length !== 2 || s.shape[0] !== s.shape[1]) return false;
  const n = s.shape[0];
  return c.v.every((x, i) => x === (i % (n + 1) === 0 ? 1 : 0));
}

const unaryNames: { readonly [K in Exclude<UnaryOp, "neg">]: string } = {
  exp: "exp",
  log: "log",
  log1p: "log1p",
  expm1: "expm1",
  sqrt: "sqrt",
  abs: "abs",
  sigmoid: "inv_logit",
  softplus: "log1p_exp",
  tanh: "tanh",
  sin: "sin",
  cos: "cos",
  erf: "erf",
  lgamma: "lgamma",
  digamma: "digamma",
  trigamma: "trigamma",
};

const infix: { readonly [K in Exclude<BinaryOp, "max" | "min">]: InfixOp } = { add: "+", sub: "-", mul: "*", div: "/", pow: "^" };

function unaryExpr(op: UnaryOp, x: Sym): Expr {
  if (op === "neg") {
    // m.logInvLogit and m.log1mInvLogit lower to −softplus(−x) and −softplus(x).
    if (is(x, "softplus")) return is(arg(x), "neg") ? call("log_inv_logit", arg(arg(x)).expr) : call("log1m_inv_logit", arg(x).expr);
    return { k: "neg", x: x.expr };
  }
  if (op === "log1p" && is(x, "neg")) return call("log1m", arg(x).expr);
  return call(unaryNames[op], x.expr);
}

/** m.expQuadCov's lowering, recognised from its last product: α² · exp(−d² / (2ρ²)). */
function expQuadCov(a: Sym, b: Sym): Expr | undefined {
  if (!is(a, "broadcast") || !isSquare(arg(a)) || !is(b, "exp") || !is(arg(b), "neg")) return undefined;
  const q = arg(arg(b));
  if (!is(q, "div")) return undefined;
  const [d2, r] = q.src.args;
  if (!is(d2, "sum") || d2.src.axis !== 2 || !isSquare(arg(d2)) || !is(r, "broadcast")) return undefined;
  const twoRho2 = arg(r);
  if (!is(twoRho2, "mul") || !scalarConst(arg(twoRho2, 0), 2) || !isSquare(arg(twoRho2, 1))) return undefined;
  const diff = arg(arg(d2));
  if (!is(diff, "sub") || !is(arg(diff), "broadcast") || !is(arg(arg(diff)), "reshape")) return undefined;
  let points = arg(arg(arg(diff)));
  if (is(points, "reshape") && arg(points).shape.length === 1) points = arg(points);
  return call("gp_exp_quad_cov", points.expr, arg(arg(a)).expr, arg(arg(twoRho2, 1)).expr);
}

function binaryExpr(op: BinaryOp, a: Sym, b: Sym): Expr {
  if (op === "mul" && a === b) return call("square", a.expr);
  if (op === "sub" && is(a, "log") && is(b, "log1p") && is(arg(b), "neg") && arg(arg(b)) === arg(a)) return call("logit", arg(a).expr);
  if (op === "div" && is(a, "sum") && a.src.axis === null && scalarConst(b, sizeOf(arg(a).shape))) return call("mean", arg(a).expr);
  if (op === "add" && is(b, "mul") && isIdentity(arg(b, 0)) && is(arg(b, 1), "broadcast"))
    return call("add_diag", a.expr, arg(arg(b, 1)).expr);
  if (op === "mul") {
    const l = arg(b);
    if (scalarConst(a, 2) && is(b, "sum") && b.src.axis === null && is(l, "log") && is(arg(l), "diagonal") && is(arg(arg(l)), "cholesky")) {
      return call("log_determinant_spd", arg(arg(arg(l))).expr);
    }
    const k = expQuadCov(a, b);
    if (k !== undefined) return k;
  }
  if (op === "max" || op === "min") return call(op === "max" ? "fmax" : "fmin", a.expr, b.expr);
  // Stan's elementwise operators where neither operand is a broadcast scalar.
  const dotted = op !== "add" && op !== "sub" && unbroadcast(a).shape.length > 0 && unbroadcast(b).shape.length > 0;
  return { k: "op", op: `${dotted ? "." : ""}${infix[op]}` as InfixOp, a: a.expr, b: b.expr };
}

function reshapeExpr(x: Sym, shape: Shape): Expr {
  // m.at(x, i): the row gathered, its leading 1 dropped.
  if (is(x, "gather") && x.src.indices!.length === 1 && sameShape(shape, x.shape.slice(1))) {
    return { k: "index", x: arg(x).expr, index: [num(x.src.indices![0] + 1)] };
  }
  if (x.shape.length === 0 && shape.length === 1) return { k: "list", items: [x.expr] };
  // Stan's to_vector / to_matrix read column-major: use them only where the order cannot matter.
  if (nonUnitDims(x.shape) <= 1 && shape.length <= 2) {
    if (shape.length === 0) return { k: "index", x: x.expr, index: x.shape.map(() => num(1)) };
    return shape.length === 1 ? call("to_vector", x.expr) : call("to_matrix", x.expr, num(shape[0]), num(shape[1]));
  }
  return call("reshape", x.expr, { k: "list", items: shape.map(num) });
}

function gatherExpr(x: Sym, indices: Int32Array): { expr: Expr; diagonal?: Sym } {
  const square = is(x, "reshape") ? arg(x) : undefined;
  if (square !== undefined && square.shape.length === 2 && square.shape[0] === square.shape[1] && indices.length === square.shape[0]) {
    const n = indices.length;
    if (indices.every((i, k) => i === k * (n + 1))) return { expr: call("diagonal", square.expr), diagonal: square };
  }
  let index: Expr;
  if (contiguous(indices)) index = { k: "range", from: indices[0] + 1, to: indices[0] + indices.length };
  else if (indices.length <= MAX_INLINE) index = { k: "list", brace: true, items: Array.from(indices, (i) => num(i + 1)) };
  else index = { k: "text", text: `{${indices.length} indices}` };
  return { expr: { k: "index", x: x.expr, index: [index] } };
}

/** A reduction over all elements, `fn(x)`, or along one axis, `fn(x, dim=k)` (1-based). */
function reduction(op: "sum" | "logSumExp", fn: string): (x: Sym, axis: number | null) => Sym {
  return (x, axis) =>
    make(
      axis === null ? [] : x.shape.filter((_, i) => i !== axis),
      axis === null ? call(fn, x.expr) : call(fn, x.expr, { k: "kw", key: "dim", value: num(axis + 1) }),
      { op, args: [x], axis },
      ([a]) => numericOps[op](a, axis),
    );
}

/**
 * {@link TensorOps} over symbolic expressions. Scans push a
 * {@link ScanStatement} into `sink`.
 *
 * @example
 * ```ts
 * const ops = symbolicOps({ statements: [] });
 * const x = leaf([], { k: "name", name: "x" }, new Set(["x"]));
 * ops.unary("exp", x).expr; // { k: "call", fn: "exp", args: [x.expr] }
 * ```
 */
export function symbolicOps(sink: StatementSink): TensorOps<Sym> {
  let nextId = 0;
  let depth = 0;
  const local = (role: Local["role"]): Local => ({ id: nextId++, role, depth });
  return {
    shape: (x) => x.shape,
    constant: (values, shape) => ({
      shape,
      expr: shape.length === 0 ? num(values[0]) : { k: "const", values, shape },
      deps: NO_DEPS,
      src: { op: "const", args: [] },
      constant: numTensor(values, shape),
    }),
    knownValue: (x) => x.constant?.v ?? x.data,
    unary: (op, x) => make(x.shape, unaryExpr(op, x), { op, args: [x] }, ([a]) => numericOps.unary(op, a)),
    binary: (op, a, b) => make(a.shape, binaryExpr(op, a, b), { op, args: [a, b] }, ([x, y]) => numericOps.binary(op, x, y)),
    broadcast: (x, shape) => make(shape, x.expr, { op: "broadcast", args: [x] }, ([a]) => numericOps.broadcast(a, shape)),
    reshape: (x, shape) => make(shape, reshapeExpr(x, shape), { op: "reshape", args: [x] }, ([a]) => numericOps.reshape(a, shape)),
    sum: reduction("sum", "sum"),
    logSumExp: reduction("logSumExp", "log_sum_exp"),
    gather: (x, indices) => {
      const { expr, diagonal } = gatherExpr(x, indices);
      const shape = [indices.length, ...x.shape.slice(1)];
      if (diagonal !== undefined)
        return make(shape, expr, { op: "diagonal", args: [diagonal] }, ([a]) =>
          numericOps.gather(numericOps.reshape(a, [sizeOf(a.shape)]), indices),
        );
      return make(shape, expr, { op: "gather", args: [x], indices }, ([a]) => numericOps.gather(a, indices));
    },
    concat: (xs) => {
      const shape = [xs.reduce((n, x) => n + x.shape[0], 0), ...xs[0].shape.slice(1)];
      // m.stack: scalars reshaped to [1] and concatenated.
      const scalars = xs.every((x) => is(x, "reshape") && arg(x).shape.length === 0 && x.shape.length === 1);
      const expr = scalars
        ? { k: "list" as const, items: xs.map((x) => arg(x).expr) }
        : xs.map((x) => x.expr).reduceRight((acc, e) => call("append_row", e, acc));
      return make(shape, expr, { op: "concat", args: xs }, (ys) => numericOps.concat(ys));
    },
    transpose: (x) =>
      make([x.shape[1], x.shape[0]], { k: "transpose", x: x.expr }, { op: "transpose", args: [x] }, ([a]) => numericOps.transpose(a)),
    matmul: (a, b) => {
      const shape = [...a.shape.slice(0, -1), ...b.shape.slice(1)];
      let expr: Expr;
      if (a.shape.length === 1 && b.shape.length === 1) expr = call("dot_product", a.expr, b.expr);
      else expr = { k: "op", op: "*", a: a.shape.length === 1 ? { k: "transpose", x: a.expr } : a.expr, b: b.expr };
      return make(shape, expr, { op: "matmul", args: [a, b] }, ([x, y]) => numericOps.matmul(x, y));
    },
    cholesky: (a) => make(a.shape, call("cholesky_decompose", a.expr), { op: "cholesky", args: [a] }, ([x]) => numericOps.cholesky(x)),
    triSolve: (l, b, transpose) =>
      make(
        b.shape,
        transpose ? call("mdivide_left", { k: "transpose", x: l.expr }, b.expr) : call("mdivide_left_tri_low", l.expr, b.expr),
        { op: "triSolve", args: [l, b] },
        ([x, y]) => numericOps.triSolve(x, y, transpose),
      ),
    cumsum: (x) => make(x.shape, call("cumulative_sum", x.expr), { op: "cumsum", args: [x] }, ([a]) => numericOps.cumsum(a)),
    scan: (body, init, sequences, length) => {
      const step = local("step");
      const t: Expr = { k: "local", local: step };
      const states = init.map((c) => ({ local: local("state"), init: c }));
      const outer = sink.statements;
      const inner: Statement[] = [];
      // The statement is filled in below; state reads inside the body point to it (LaTeX prints them as x_{t−1}).
      const statement: { -readonly [K in keyof ScanStatement]: ScanStatement[K] } = {
        kind: "scan",
        length,
        step,
        states: [],
        outputs: [],
        body: inner,
      };
      const carry = states.map((s) => leaf(s.init.shape, { k: "local", local: s.local, at: "previous", scan: statement }, s.init.deps));
      // The step's slice of a sequence: y[t], or y[t + a] for a sequence that is the slice y[a + 1:…].
      const slices = sequences.map((s) => {
        const offset = is(s, "gather") && contiguous(s.src.indices!) ? s.src.indices![0] : undefined;
        const index: Expr = offset === undefined || offset === 0 ? t : { k: "op", op: "+", a: t, b: num(offset) };
        return leaf(s.shape.slice(1), { k: "index", x: (offset === undefined ? s : arg(s)).expr, index: [index] }, s.deps);
      });
      sink.statements = inner;
      depth++;
      const out = body(carry, slices);
      depth--;
      sink.statements = outer;
      statement.states = states.map((s, i) => ({ ...s, next: out.carry[i] }));
      statement.outputs = out.outputs.map((value) => ({ local: local("output"), value }));
      outer.push(statement);
      const deps = union([...init, ...sequences, ...out.carry, ...out.outputs]);
      return {
        carry: states.map((s) => leaf(s.init.shape, { k: "local", local: s.local, at: "final", scan: statement }, deps)),
        outputs: statement.outputs.map((o) => leaf([length, ...o.value.shape], { k: "local", local: o.local }, deps)),
      };
    },
  };
}

/** A model run through the symbolic interpreter. */
export interface SymbolicTrace {
  /** Every site, data array and scan, in program order. */
  readonly statements: readonly Statement[];
  /** The printed name of a scan variable: `t`, `state1`, `scan1`, …, never a site's name. */
  localName(local: Local): string;
}

/**
 * Runs a model symbolically (with every build-time check of the other
 * interpreters) and returns what it did.
 *
 * @example
 * ```ts
 * traceSymbolic(eightSchools, data).statements.map((s) => s.kind); // ["sample", "sample", "sample", "data", "data", "observe"]
 * ```
 */
export function traceSymbolic<D, O extends Outputs>(mdl: Model<D, O>, data: D): SymbolicTrace {
  const sink: StatementSink = { statements: [] };
  const top = sink.statements;
  const named = (name: string, shape: Shape, extra?: Partial<Pick<Sym, "constant" | "data">>): Sym =>
    leaf(shape, { k: "name", name }, new Set([name]), extra);
  const names = new Set<string>();
  const push = (name: string, s: Statement): void => {
    names.add(name);
    sink.statements.push(s);
  };
  runModel(mdl, data, symbolicOps(sink), (): SiteHandler => ({
    sample(site) {
      const value = named(site.name, site.shape);
      push(site.name, { kind: "sample", site, value });
      return asTensor(value);
    },
    observe: (site) => push(site.name, { kind: "observe", site }),
    data(name, values, shape) {
      const value = named(name, shape, { data: values });
      push(name, { kind: "data", name, value });
      return asTensor(value);
    },
    deterministic(name, value) {
      const v = asSym(value);
      push(name, { kind: "deterministic", name, value: v });
      return asTensor(named(name, v.shape, { constant: v.constant }));
    },
    factor: (name, logp) => push(name, { kind: "factor", name, logp: asSym(logp) }),
  }));
  // Names in program order, so that every format numbers scans alike.
  const assigned = new Map<number, string>();
  const counters = { state: 0, output: 0 };
  const assign = (l: Local): void => {
    let name =
      l.role === "step" ? (l.depth === 0 ? "t" : `t${l.depth + 1}`) : `${l.role === "state" ? "state" : "scan"}${++counters[l.role]}`;
    while (names.has(name)) name += "_";
    assigned.set(l.id, name);
  };
  const walk = (statements: readonly Statement[]): void => {
    for (const s of statements) {
      if (s.kind !== "scan") continue;
      [s.step, ...s.states.map((x) => x.local), ...s.outputs.map((x) => x.local)].forEach(assign);
      walk(s.body);
    }
  };
  walk(top);
  return { statements: top, localName: (l) => assigned.get(l.id) as string };
}
