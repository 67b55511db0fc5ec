/**
 * The model as text: a Stan-like listing, a Markdown table or LaTeX, from
 * one symbolic run (so the build-time checks of every interpreter apply).
 *
 * Choices, where Stan and sampo differ:
 * - Declarations read `name : type` (`tau : real<lower=0>`); statements
 *   carry no semicolons. The type is the one the transform gives: a normal
 *   declared `positiveOrdered` is a `positive_ordered[2]`.
 * - Family names are Stan's. Half families print as Stan writes them, the
 *   full family on a parameter declared `<lower=0>`: `half_normal(5)` is
 *   `normal(0, 5)` (LaTeX keeps the half: 𝒩⁺). Flat priors have no
 *   statement in Stan and print as a comment. A mixture lists its
 *   components' parameters by name (`c0_loc=…`).
 * - Indices are 1-based (`beta[1]`, `y[6:200]`); a reduction along an axis
 *   reads `sum(x, dim=1)`; `reshape(x, [m, n])` is row-major.
 * - Where Stan has no room for a site's name (an observed expression, a
 *   `target +=`), a trailing comment gives it. Names that are not
 *   identifiers print as JSON strings.
 * - A `scan` is a loop: `state1` holds the carried value, `scan1[t]` the
 *   outputs.
 * @module
 */
import type { Family, Params } from "../dsl/distribution.ts";
import type { Model, Outputs, SampleSite } from "../dsl/model.ts";
import { siteNameProblem } from "../dsl/siteName.ts";
import type { Shape } from "../tensor/shape.ts";
import type { Tensor } from "../dsl/tensor.ts";
import {
  asSym,
  type Expr,
  type InfixOp,
  type Local,
  MAX_INLINE,
  type ScanStatement,
  type Statement,
  type SymbolicTrace,
  traceSymbolic,
} from "./symbolic.ts";

/** Options of {@link prettyPrint}. */
export interface PrettyOptions {
  /** `stan` (default): a Stan-like listing; `markdown`: a table for a README; `latex`: an `aligned` environment. */
  readonly format?: "stan" | "markdown" | "latex";
}

/**
 * Prints a model with its data (the data fix shapes and sizes).
 *
 * @example
 * ```ts
 * console.log(prettyPrint(eightSchools, data));
 * // data {
 * //   sigma : vector[8]
 * //   ...
 * // model {
 * //   mu ~ normal(0, 5)
 * ```
 */
export function prettyPrint<D, O extends Outputs>(model: Model<D, O>, data: D, opts: PrettyOptions = {}): string {
  const trace = traceSymbolic(model, data);
  const format = opts.format ?? "stan";
  switch (format) {
    case "stan":
      return stanListing(trace);
    case "markdown":
      return markdownTable(trace);
    case "latex":
      return latexLines(trace);
    default:
      throw new RangeError(`prettyPrint: unknown format ${JSON.stringify(format)} (stan, markdown or latex)`);
  }
}

// ---------------------------------------------------------------- shared

/** A name as printed: bare if a legal site name (every user's is), else a JSON string (quotes, newlines escaped). */
function showName(name: string): string {
  return siteNameProblem(name) === undefined ? name : JSON.stringify(name);
}

/** Six significant digits: enough to read, short enough to scan. */
function showNumber(x: number): string {
  if (Number.isInteger(x) || !Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(6)));
}

const exprOf = (t: Tensor): Expr => asSym(t).expr;

/** Every statement, scan bodies included, in program order. */
function flatten(statements: readonly Statement[]): Statement[] {
  return statements.flatMap((s) => (s.kind === "scan" ? [...flatten(s.body), s] : [s]));
}

/** A family call as Stan writes it, or undefined for flat priors (no statement). */
function stanDist(family: Family, params: Params): { name: string; args: Expr[] } | undefined {
  const p = (k: string): Expr => exprOf(params[k]);
  const zero: Expr = { k: "num", value: 0 };
  switch (family.name) {
    case "flat":
    case "half_flat":
      return undefined;
    case "half_normal":
      return { name: "normal", args: [zero, p("scale")] };
    case "half_cauchy":
      return { name: "cauchy", args: [zero, p("scale")] };
    case "half_student_t":
      return { name: "student_t", args: [p("nu"), zero, p("scale")] };
    case "mixture":
      return { name: "mixture", args: family.params.map((k) => (k === "weights" ? p(k) : { k: "kw", key: k, value: p(k) })) };
    default:
      return { name: family.name, args: family.params.map(p) };
  }
}

/** Data arrays that hold integers in Stan: observed counts and count parameters. */
function integerData(statements: readonly Statement[]): Set<string> {
  const ints = new Set<string>();
  const mark = (t: Tensor): void => {
    const s = asSym(t);
    if (s.data !== undefined && s.expr.k === "name") ints.add(s.expr.name);
  };
  for (const s of flatten(statements)) {
    if (s.kind !== "sample" && s.kind !== "observe") continue;
    const { family, params } = s.site;
    for (const k of family.params) if (family.domains[k] === "count") mark(params[k]);
    if (s.kind === "observe" && family.discrete) mark(s.site.value);
  }
  return ints;
}

/** Whether an observed site's value is the data array of the same name (`m.observe("y", d, numbers)`). */
function observesOwnData(s: Statement): boolean {
  if (s.kind !== "observe") return false;
  const e = exprOf(s.site.value);
  return e.k === "name" && e.name === s.site.name;
}

/** A Stan container type for a value of `shape`. */
function containerType(shape: Shape, int: boolean, constraint = ""): string {
  if (int) return shape.length === 0 ? `int${constraint}` : `array[${shape.join(", ")}] int${constraint}`;
  switch (shape.length) {
    case 0:
      return `real${constraint}`;
    case 1:
      return `vector${constraint}[${shape[0]}]`;
    case 2:
      return `matrix${constraint}[${shape[0]}, ${shape[1]}]`;
    default:
      return `array[${shape.slice(0, -2).join(", ")}] matrix${constraint}[${shape.slice(-2).join(", ")}]`;
  }
}

/** A constrained type over the last `eventRank` axes (`simplex[K]`), batched as an array. */
function eventType(shape: Shape, eventRank: number, name: string): string {
  const batch = shape.slice(0, shape.length - eventRank);
  const own = `${name}[${shape[shape.length - 1]}]`;
  return batch.length === 0 ? own : `array[${batch.join(", ")}] ${own}`;
}

/** The declared type of a parameter: its transform decides the constraint. */
function paramType(site: SampleSite, show: (e: Expr) => string): string {
  const bound = (side: "lower" | "upper"): string => show(exprOf(site.bounds[side] as Tensor));
  switch (site.transformSpec.type) {
    case "simplex":
      return eventType(site.shape, 1, "simplex");
    case "ordered":
      return eventType(site.shape, 1, "ordered");
    case "positiveOrdered":
      return eventType(site.shape, 1, "positive_ordered");
    case "choleskyCorr":
      return eventType(site.shape, 2, "cholesky_factor_corr");
    case "log":
      return containerType(site.shape, false, "<lower=0>");
    case "logit":
      return containerType(site.shape, false, "<lower=0, upper=1>");
    case "lower":
      return containerType(site.shape, false, `<lower=${bound("lower")}>`);
    case "upper":
      return containerType(site.shape, false, `<upper=${bound("upper")}>`);
    case "lowerUpper":
      return containerType(site.shape, false, `<lower=${bound("lower")}, upper=${bound("upper")}>`);
    case "identity": {
      const s = site.support;
      if (s.kind === "binary") return containerType(site.shape, true, "<lower=0, upper=1>");
      if (s.kind === "count") return containerType(site.shape, true, "<lower=0>");
      if (s.kind === "intRange") return containerType(site.shape, true, `<lower=${s.lower}, upper=${show(exprOf(s.upper))}>`);
      return containerType(site.shape, false);
    }
  }
}

// ---------------------------------------------------------------- Stan expressions

const stanInfixPrec: { readonly [K in InfixOp]: number } = { "+": 5, "-": 5, "*": 4, "/": 4, ".*": 2, "./": 2, "^": 0.5, ".^": 0.5 };
const isPow = (op: InfixOp): boolean => op === "^" || op === ".^";

/** Stan's precedence of an expression's outer operator (smaller binds tighter; 0 for atoms). */
function stanPrec(e: Expr): number {
  if (e.k === "num") return e.value < 0 ? 1 : 0;
  if (e.k === "neg") return 1;
  return e.k === "op" ? stanInfixPrec[e.op] : 0;
}

const isNegative = (e: Expr): boolean => e.k === "neg" || (e.k === "num" && e.value < 0);

/** Renders expressions in Stan's syntax. */
function stanExpr(localName: (l: Local) => string): (e: Expr) => string {
  const paren = (e: Expr, needed: boolean): string => (needed ? `(${show(e)})` : show(e));
  const show = (e: Expr): string => {
    switch (e.k) {
      case "num":
        if (Number.isNaN(e.value)) return "not_a_number()";
        if (!Number.isFinite(e.value)) return e.value > 0 ? "positive_infinity()" : "negative_infinity()";
        return showNumber(e.value);
      case "const":
        return stanConst(e.values, e.shape);
      case "name":
        return showName(e.name);
      case "local":
        return localName(e.local);
      case "call":
        return `${e.fn}(${e.args.map(show).join(", ")})`;
      case "kw":
        return `${e.key}=${show(e.value)}`;
      case "op": {
        const p = stanInfixPrec[e.op];
        const right = isPow(e.op);
        const a = paren(e.a, right ? stanPrec(e.a) >= p : stanPrec(e.a) > p);
        const b = paren(e.b, (right ? stanPrec(e.b) > p : stanPrec(e.b) >= p) || isNegative(e.b));
        return `${a} ${e.op} ${b}`;
      }
      case "neg":
        return `-${paren(e.x, stanPrec(e.x) > 1 || isNegative(e.x))}`;
      case "index":
        return `${paren(e.x, stanPrec(e.x) > 0)}[${e.index.map(show).join(", ")}]`;
      case "range":
        return `${e.from}:${e.to}`;
      case "list":
        return e.brace ? `{${e.items.map(show).join(", ")}}` : `[${e.items.map(show).join(", ")}]`;
      case "transpose":
        return `${paren(e.x, stanPrec(e.x) > 0)}'`;
      case "text":
        return e.text;
    }
  };
  return show;
}

/** A constant: inline when small, `rep_vector(v, n)` when uniform, else its size. */
function stanConst(values: Float64Array, shape: Shape): string {
  const nested = (off: number, dims: Shape): string => {
    if (dims.length === 0) return showNumber(values[off]);
    const step = dims.slice(1).reduce((a, b) => a * b, 1);
    return `[${Array.from({ length: dims[0] }, (_, i) => nested(off + i * step, dims.slice(1))).join(", ")}]`;
  };
  if (values.length <= MAX_INLINE) return nested(0, shape);
  if (values.every((x) => x === values[0])) {
    const v = showNumber(values[0]);
    if (shape.length === 1) return `rep_vector(${v}, ${shape[0]})`;
    if (shape.length === 2) return `rep_matrix(${v}, ${shape[0]}, ${shape[1]})`;
    return `rep_array(${v}, ${shape.join(", ")})`;
  }
  return `[${values.length} values]`;
}

// ---------------------------------------------------------------- Stan listing

/** A line of a listing, or a braced block under a head (`for (t in 1:n)`). */
type Line = string | { readonly head: string; readonly body: readonly Line[] };

function layoutLines(lines: readonly Line[], indent: string): string[] {
  return lines.flatMap((l) =>
    typeof l === "string" ? [indent + l] : [`${indent}${l.head} {`, ...layoutLines(l.body, `${indent}  `), `${indent}}`],
  );
}

/** One-line form, for a Markdown cell: `a; for (…) { b; c }`. */
function inlineLines(lines: readonly Line[]): string {
  return lines.map((l) => (typeof l === "string" ? l : `${l.head} { ${inlineLines(l.body)} }`)).join("; ");
}

const FLAT = "improper flat prior";

/** `lhs ~ family(args)` of a site, or undefined for a flat prior (no statement in Stan). */
function tilde(s: Statement & { kind: "sample" | "observe" }, show: (e: Expr) => string): string | undefined {
  const d = stanDist(s.site.family, s.site.params);
  const lhs = s.kind === "sample" ? showName(s.site.name) : show(exprOf(s.site.value));
  return d === undefined ? undefined : `${lhs} ~ ${d.name}(${d.args.map(show).join(", ")})`;
}

/** The model-block lines of a statement, in Stan's syntax (with the site's name in a comment where Stan has no room for it). */
function stanStatement(s: Statement, show: (e: Expr) => string, localName: (l: Local) => string): Line[] {
  switch (s.kind) {
    case "data":
      return [];
    case "sample":
    case "observe": {
      const name = showName(s.site.name);
      const line = tilde(s, show);
      if (line === undefined) return [`// ${name}: ${FLAT}`];
      return [s.kind === "observe" && !observesOwnData(s) ? `${line}  // ${name}` : line];
    }
    case "deterministic":
      return [`${showName(s.name)} = ${show(s.value.expr)}`];
    case "factor":
      return [`target += ${show(s.logp.expr)}  // ${showName(s.name)}`];
    case "scan":
      return stanScan(s, show, localName);
  }
}

/**
 * A scan as a loop. Outputs that are not a new state are computed first,
 * from the states before the step; the states are updated together; outputs
 * that are a new state are copied after.
 */
function stanScan(s: ScanStatement, show: (e: Expr) => string, localName: (l: Local) => string): Line[] {
  const t = localName(s.step);
  const aliases = (v: unknown) => s.states.find((st) => st.next === v);
  const body: Line[] = s.body.flatMap((b) => stanStatement(b, show, localName));
  const out = (o: ScanStatement["outputs"][number], value: string): Line => `${localName(o.local)}[${t}] = ${value}`;
  for (const o of s.outputs) if (aliases(o.value) === undefined) body.push(out(o, show(o.value.expr)));
  const names = s.states.map((st) => localName(st.local));
  const nexts = s.states.map((st) => show(st.next.expr));
  if (s.states.length === 1) body.push(`${names[0]} = ${nexts[0]}`);
  else if (s.states.length > 1) body.push(`(${names.join(", ")}) = (${nexts.join(", ")})`);
  for (const o of s.outputs) {
    const st = aliases(o.value);
    if (st !== undefined) body.push(out(o, localName(st.local)));
  }
  return [...s.states.map((st) => `${localName(st.local)} = ${show(st.init.expr)}`), { head: `for (${t} in 1:${s.length})`, body }];
}

/** Declarations of the data and parameters blocks, with the types Stan would give them. */
function declarations(trace: SymbolicTrace, show: (e: Expr) => string): { data: [string, string][]; parameters: [string, string][] } {
  const ints = integerData(trace.statements);
  const data: [string, string][] = [];
  const parameters: [string, string][] = [];
  for (const s of flatten(trace.statements)) {
    if (s.kind === "data") data.push([showName(s.name), containerType(s.value.shape, ints.has(s.name))]);
    if (s.kind === "sample") parameters.push([showName(s.site.name), paramType(s.site, show)]);
  }
  return { data, parameters };
}

function stanListing(trace: SymbolicTrace): string {
  const show = stanExpr(trace.localName);
  const { data, parameters } = declarations(trace, show);
  const block = (title: string, decls: readonly [string, string][]): string[] => {
    if (decls.length === 0) return [];
    const width = Math.max(...decls.map(([n]) => n.length));
    return [`${title} {`, ...decls.map(([n, type]) => `  ${n.padEnd(width)} : ${type}`), "}"];
  };
  const model = trace.statements.flatMap((s) => stanStatement(s, show, trace.localName));
  return [...block("data", data), ...block("parameters", parameters), "model {", ...layoutLines(model, "  "), "}"].join("\n");
}

// ---------------------------------------------------------------- Markdown

/** A code span safe inside a table cell: a fence longer than any backtick run, pipes escaped. */
function code(text: string): string {
  const run = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(run + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`.replaceAll("|", "\\|");
}

function markdownTable(trace: SymbolicTrace): string {
  const show = stanExpr(trace.localName);
  const ints = integerData(trace.statements);
  const observedData = new Set(flatten(trace.statements).flatMap((s) => (s.kind === "observe" && observesOwnData(s) ? [s.site.name] : [])));
  const definition = (s: Statement & { kind: "sample" | "observe" }): string => {
    const line = tilde(s, show);
    return line === undefined ? `*${FLAT}*` : code(line);
  };
  // Data first, as in Stan's data block; then the model in program order.
  const rows: string[][] = flatten(trace.statements).flatMap((s) =>
    s.kind === "data" && !observedData.has(s.name)
      ? [[code(showName(s.name)), "data", code(containerType(s.value.shape, ints.has(s.name))), ""]]
      : [],
  );
  const visit = (s: Statement): void => {
    switch (s.kind) {
      case "data":
        return;
      case "sample":
        rows.push([code(showName(s.site.name)), "parameter", code(paramType(s.site, show)), definition(s)]);
        return;
      case "observe":
        rows.push([code(showName(s.site.name)), "observed", code(containerType(s.site.shape, s.site.family.discrete)), definition(s)]);
        return;
      case "deterministic":
        rows.push([
          code(showName(s.name)),
          "deterministic",
          code(containerType(s.value.shape, false)),
          code(`${showName(s.name)} = ${show(s.value.expr)}`),
        ]);
        return;
      case "factor":
        rows.push([code(showName(s.name)), "factor", code("real"), code(`target += ${show(s.logp.expr)}`)]);
        return;
      case "scan": {
        const locals = [...s.states.map((st) => st.local), ...s.outputs.map((o) => o.local)];
        rows.push([
          locals.map((l) => code(trace.localName(l))).join(", "),
          "scan",
          "",
          code(inlineLines(stanScan(s, show, trace.localName))),
        ]);
      }
    }
  };
  trace.statements.forEach(visit);
  return ["| name | kind | type | definition |", "|---|---|---|---|", ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

// ---------------------------------------------------------------- LaTeX

const GREEK = new Set([
  "alpha",
  "beta",
  "gamma",
  "delta",
  "epsilon",
  "zeta",
  "eta",
  "theta",
  "iota",
  "kappa",
  "lambda",
  "mu",
  "nu",
  "xi",
  "pi",
  "rho",
  "sigma",
  "tau",
  "upsilon",
  "phi",
  "chi",
  "psi",
  "omega",
  "Gamma",
  "Delta",
  "Theta",
  "Lambda",
  "Xi",
  "Pi",
  "Sigma",
  "Upsilon",
  "Phi",
  "Psi",
  "Omega",
]);

/** Text-mode escapes of LaTeX's special characters. */
function latexText(s: string): string {
  const map: Record<string, string> = {
    "\\": "\\textbackslash{}",
    "{": "\\{",
    "}": "\\}",
    $: "\\$",
    "&": "\\&",
    "#": "\\#",
    "^": "\\textasciicircum{}",
    _: "\\_",
    "%": "\\%",
    "~": "\\textasciitilde{}",
    "<": "\\textless{}",
    ">": "\\textgreater{}",
  };
  return s.replace(/[\\{}$&#^_%~<>]/g, (c) => map[c]);
}

/** A name in math mode: `alpha0` → α₀, `mu_alpha` → μ_α, `theta_trans` → θ_trans, `kid_score` → \mathrm{kid\_score}; anything else as text. */
function latexName(name: string): string {
  const m = /^([A-Za-z]+)(\d*)(?:_([A-Za-z0-9]+))?$/.exec(name);
  if (m !== null && (GREEK.has(m[1]) || m[1].length === 1)) {
    const base = GREEK.has(m[1]) ? `\\${m[1]}` : m[1];
    const suffix = (x: string): string => (GREEK.has(x) ? `\\${x}` : /^\d+$/.test(x) || x.length === 1 ? x : `\\mathrm{${x}}`);
    const sub = [m[2], m[3] === undefined ? "" : suffix(m[3])].filter((x) => x !== "");
    return sub.length === 0 ? base : `${base}_{${sub.join(",")}}`;
  }
  if (/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) return `\\mathrm{${latexText(name)}}`;
  return `\\text{${latexText(showName(name))}}`;
}

function latexNumber(x: number): string {
  if (Number.isNaN(x)) return "\\mathrm{NaN}";
  if (!Number.isFinite(x)) return x > 0 ? "\\infty" : "-\\infty";
  const s = showNumber(x);
  const e = /^(-?[\d.]+)e([+-]\d+)$/.exec(s);
  if (e === null) return s;
  const exp = `10^{${Number(e[2])}}`;
  return e[1] === "1" ? exp : e[1] === "-1" ? `-${exp}` : `${e[1]} \\times ${exp}`;
}

/** Math-mode names of Stan functions that have one. */
const latexFunctions: Readonly<Record<string, (args: readonly string[]) => string>> = {
  exp: ([x]) => `\\exp(${x})`,
  log: ([x]) => `\\log(${x})`,
  sin: ([x]) => `\\sin(${x})`,
  cos: ([x]) => `\\cos(${x})`,
  tanh: ([x]) => `\\tanh(${x})`,
  sqrt: ([x]) => `\\sqrt{${x}}`,
  abs: ([x]) => `\\left|${x}\\right|`,
  lgamma: ([x]) => `\\log\\Gamma(${x})`,
  digamma: ([x]) => `\\psi(${x})`,
  inv_logit: ([x]) => `\\operatorname{logit}^{-1}(${x})`,
  logit: ([x]) => `\\operatorname{logit}(${x})`,
};

const latexInfix: { readonly [K in InfixOp]: string } = {
  "+": "+",
  "-": "-",
  "*": "\\cdot",
  "/": "",
  ".*": "\\odot",
  "./": "\\oslash",
  "^": "",
  ".^": "",
};

/** Precedence in the LaTeX rendering: a fraction is nearly an atom. */
function latexPrec(e: Expr): number {
  if (e.k === "op" && e.op === "/") return 0.25;
  if (e.k === "call" && e.fn === "square") return 0.5;
  if (e.k === "op" && (e.op === ".*" || e.op === "./")) return 4;
  return stanPrec(e);
}

/** Renders expressions in math mode. */
function latexExpr(localName: (l: Local) => string): (e: Expr) => string {
  const paren = (e: Expr, needed: boolean): string => (needed ? `\\left(${show(e)}\\right)` : show(e));
  // A base that already carries a sub- or superscript is braced before another is added.
  const base = (e: Expr): string => {
    const s = paren(e, latexPrec(e) > 0);
    return /[_^]/.test(s) && latexPrec(e) === 0 ? `{${s}}` : s;
  };
  const local = (l: Local): string => `\\mathrm{${latexText(localName(l))}}`;
  const show = (e: Expr): string => {
    switch (e.k) {
      case "num":
        return latexNumber(e.value);
      case "const":
        return latexConst(e.values, e.shape);
      case "name":
        return latexName(e.name);
      case "local":
        if (e.scan === undefined) return e.local.role === "step" ? latexName(localName(e.local)) : local(e.local);
        return `${local(e.local)}_{${e.at === "final" ? e.scan.length : `${latexName(localName(e.scan.step))}-1`}}`;
      case "call": {
        if (e.fn === "square") return `${base(e.args[0])}^{2}`;
        const args = e.args.map(show);
        const f = latexFunctions[e.fn];
        return f !== undefined ? f(args) : `\\operatorname{${latexText(e.fn)}}(${args.join(", ")})`;
      }
      case "kw":
        return `\\mathrm{${latexText(e.key)}}{=}${show(e.value)}`;
      case "op": {
        if (e.op === "/") return `\\frac{${show(e.a)}}{${show(e.b)}}`;
        if (isPow(e.op)) return `${base(e.a)}^{${show(e.b)}}`;
        const p = latexPrec(e);
        return `${paren(e.a, latexPrec(e.a) > p)} ${latexInfix[e.op]} ${paren(e.b, latexPrec(e.b) >= p || isNegative(e.b))}`;
      }
      case "neg":
        return `-${paren(e.x, latexPrec(e.x) > 1 || isNegative(e.x))}`;
      case "index":
        return `${base(e.x)}_{${e.index.map(show).join(", ")}}`;
      case "range":
        return `${e.from}{:}${e.to}`;
      case "list":
        return e.brace ? `\\{${e.items.map(show).join(", ")}\\}` : `(${e.items.map(show).join(", ")})`;
      case "transpose":
        return `${base(e.x)}^{\\top}`;
      case "text":
        return `\\text{${latexText(e.text)}}`;
    }
  };
  return show;
}

function latexConst(values: Float64Array, shape: Shape): string {
  if (values.length <= MAX_INLINE && shape.length === 1) return `(${Array.from(values, latexNumber).join(", ")})`;
  if (values.length <= MAX_INLINE && shape.length === 2) {
    const rows = Array.from({ length: shape[0] }, (_, i) =>
      Array.from(values.subarray(i * shape[1], (i + 1) * shape[1]), latexNumber).join(" & "),
    );
    return `\\begin{pmatrix} ${rows.join(" \\\\ ")} \\end{pmatrix}`;
  }
  return `\\text{${latexText(stanConst(values, shape))}}`;
}

/** Math names of the common families; others print as \operatorname{name}. */
const latexFamilies: Readonly<Record<string, string>> = {
  normal: "\\mathcal{N}",
  half_normal: "\\mathcal{N}^{+}",
  multi_normal: "\\mathcal{N}",
  lognormal: "\\operatorname{LogNormal}",
  cauchy: "\\operatorname{Cauchy}",
  half_cauchy: "\\operatorname{Cauchy}^{+}",
  student_t: "\\operatorname{Student-t}",
  half_student_t: "\\operatorname{Student-t}^{+}",
  uniform: "\\mathcal{U}",
  exponential: "\\operatorname{Exponential}",
  gamma: "\\operatorname{Gamma}",
  inv_gamma: "\\operatorname{InvGamma}",
  beta: "\\operatorname{Beta}",
  double_exponential: "\\operatorname{Laplace}",
  logistic: "\\operatorname{Logistic}",
  weibull: "\\operatorname{Weibull}",
  bernoulli: "\\operatorname{Bernoulli}",
  bernoulli_logit: "\\operatorname{BernoulliLogit}",
  binomial: "\\operatorname{Binomial}",
  binomial_logit: "\\operatorname{BinomialLogit}",
  poisson: "\\operatorname{Poisson}",
  poisson_log: "\\operatorname{PoissonLog}",
  categorical_logit: "\\operatorname{CategoricalLogit}",
  multi_normal_cholesky: "\\operatorname{MvNormalCholesky}",
  lkj_corr_cholesky: "\\operatorname{LKJCholesky}",
  gaussian_random_walk: "\\operatorname{GaussianRandomWalk}",
  neg_binomial_2: "\\operatorname{NegBinomial}",
  categorical: "\\operatorname{Categorical}",
  dirichlet: "\\operatorname{Dirichlet}",
  flat: "\\operatorname{Flat}",
  half_flat: "\\operatorname{Flat}^{+}",
  mixture: "\\operatorname{Mixture}",
};

function latexLines(trace: SymbolicTrace): string {
  const show = latexExpr(trace.localName);
  const dist = (family: Family, params: Params): string => {
    const name = latexFamilies[family.name] ?? `\\operatorname{${latexText(family.name)}}`;
    const args = stanDist(family, params)?.args ?? [];
    return args.length === 0 ? name : `${name}(${args.map(show).join(", ")})`;
  };
  const lines: string[] = [];
  const visit = (s: Statement): void => {
    switch (s.kind) {
      case "data":
        return;
      case "sample":
        lines.push(`${latexName(s.site.name)} &\\sim ${dist(s.site.family, s.site.params)}`);
        return;
      case "observe":
        lines.push(`${show(exprOf(s.site.value))} &\\sim ${dist(s.site.family, s.site.params)}`);
        return;
      case "deterministic":
        lines.push(`${latexName(s.name)} &= ${show(s.value.expr)}`);
        return;
      case "factor":
        lines.push(`\\text{target} &\\mathrel{+}= ${show(s.logp.expr)}`);
        return;
      case "scan": {
        s.body.forEach(visit);
        const t = latexName(trace.localName(s.step));
        const steps = `\\qquad ${t} = 1, \\ldots, ${s.length}`;
        const local = (l: Local, sub: string): string => `\\mathrm{${latexText(trace.localName(l))}}_{${sub}}`;
        for (const st of s.states) lines.push(`${local(st.local, "0")} &= ${show(st.init.expr)}`);
        for (const st of s.states) lines.push(`${local(st.local, t)} &= ${show(st.next.expr)}${steps}`);
        for (const o of s.outputs) {
          const st = s.states.find((x) => x.next === o.value);
          lines.push(`${local(o.local, t)} &= ${st === undefined ? show(o.value.expr) : local(st.local, t)}${steps}`);
        }
      }
    }
  };
  trace.statements.forEach(visit);
  return ["\\begin{aligned}", lines.join(" \\\\\n"), "\\end{aligned}"].join("\n");
}
