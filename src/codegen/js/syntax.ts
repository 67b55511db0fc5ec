/**
 * JavaScript syntax of generated code: number literals, elementwise
 * operators, the helper prelude and index expressions.
 * @module
 */
import type { ElementwiseUnary } from "../../ir/node.ts";
import type { BinaryOp } from "../../tensor/ops.ts";
import { type Shape, stridesOf } from "../../tensor/shape.ts";

/** A JavaScript number literal that reads back to exactly `x`. */
export function literal(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "(-Infinity)";
  if (Object.is(x, -0)) return "(-0)";
  return x < 0 ? `(${String(x)})` : String(x);
}

/** JavaScript for each elementwise unary op; a missing op is a compile error. */
export const unaryJs: { readonly [K in ElementwiseUnary]: (a: string) => string } = {
  neg: (a) => `(-${a})`,
  exp: (a) => `Math.exp(${a})`,
  log: (a) => `Math.log(${a})`,
  log1p: (a) => `Math.log1p(${a})`,
  expm1: (a) => `Math.expm1(${a})`,
  sqrt: (a) => `Math.sqrt(${a})`,
  abs: (a) => `Math.abs(${a})`,
  tanh: (a) => `Math.tanh(${a})`,
  sin: (a) => `Math.sin(${a})`,
  cos: (a) => `Math.cos(${a})`,
  sign: (a) => `Math.sign(${a})`,
  sigmoid: (a) => `sigmoid(${a})`,
  softplus: (a) => `softplus(${a})`,
  step: (a) => `step(${a})`,
  erf: (a) => `S.erf(${a})`,
  lgamma: (a) => `S.lgamma(${a})`,
  digamma: (a) => `S.digamma(${a})`,
  trigamma: (a) => `S.trigamma(${a})`,
  tetragamma: (a) => `S.tetragamma(${a})`,
};

/** JavaScript for each elementwise binary op. */
export const binaryJs: { readonly [K in BinaryOp]: (a: string, b: string) => string } = {
  add: (a, b) => `(${a} + ${b})`,
  sub: (a, b) => `(${a} - ${b})`,
  mul: (a, b) => `(${a} * ${b})`,
  div: (a, b) => `(${a} / ${b})`,
  pow: (a, b) => `pow(${a}, ${b})`,
  max: (a, b) => `Math.max(${a}, ${b})`,
  min: (a, b) => `Math.min(${a}, ${b})`,
};

/**
 * Helpers every generated module defines once (V8 inlines them). sigmoid
 * and softplus both go through exp(−|x|), which never overflows and which
 * V8 computes once when both are taken of one x. pow is not Math.pow:
 * engines' Math.pow differ in the last bit (V8 in Node 20 and in Chromium
 * 150 disagree on 1 in 10 arguments) while exp, log and arithmetic agree,
 * so a density built on these gives the same bits in every engine (a page
 * samples Node's draws): integer powers up to 64 by squaring, others as
 * exp(b·log a) (relative error ≈ |b·log a| ulps; NaN for a < 0, as Math.pow,
 * unless b is an integer: then ±exp(b·log(−a)) by the parity of b).
 */
export const prelude = helpers("").join("\n");

/** The same helpers typed, one statement each (the standalone TypeScript module). */
export const typedPrelude: readonly string[] = helpers(": number");

/** The helper statements, with `t` after each parameter and before each arrow (a type annotation or nothing). */
function helpers(t: string): string[] {
  return [
    `const sigmoid = (x${t})${t} => { const u = Math.exp(-Math.abs(x)); return x >= 0 ? 1 / (1 + u) : u / (1 + u); };`,
    `const softplus = (x${t})${t} => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));`,
    `const step = (x${t})${t} => (x >= 0 ? 1 : 0);`,
    `const pow = (a${t}, b${t})${t} => { if (Number.isInteger(b) && Math.abs(b) <= 64) { let r = 1; let x = b < 0 ? 1 / a : a; for (let n = Math.abs(b); n > 0; n >>= 1) { if (n & 1) r *= x; x *= x; } return r; } if (a < 0 && Number.isInteger(b)) { const r = Math.exp(b * Math.log(-a)); return b % 2 === 0 ? r : -r; } return Math.exp(b * Math.log(a)); };`,
  ];
}

/**
 * `body` reading the module-level arrays among `arrays` that it uses
 * through local constants declared first (`const _b23 = b23;`). The
 * functions of all densities of one model share their optimized code
 * (load.ts), so V8 does not fold the closure's arrays into it as constants:
 * read from the closure, each access loads the array again; a local stays
 * in a register. bench:grad: logistic's logpGrad 7 % faster, stress's 13 %.
 */
export function withLocalArrays(body: string, arrays: ReadonlySet<string>): string {
  const used = new Set<string>();
  const renamed = body.replace(/\b[A-Za-z_]\w*\b/g, (id) => {
    if (!arrays.has(id)) return id;
    used.add(id);
    return `_${id}`;
  });
  if (used.size === 0) return body;
  return `  const ${[...used].map((id) => `_${id} = ${id}`).join(", ")};\n${renamed}`;
}

/** The row-major offset of element `idx` (one index expression per dimension) of `shape`. */
export function flatIndex(shape: Shape, idx: readonly string[]): string {
  const strides = stridesOf(shape);
  const terms: string[] = [];
  shape.forEach((d, k) => {
    if (d === 1 || idx[k] === "0") return;
    const i = /^[\w.[\]]+$/.test(idx[k]) ? idx[k] : `(${idx[k]})`;
    terms.push(strides[k] === 1 ? i : `${i} * ${strides[k]}`);
  });
  return terms.length === 0 ? "0" : terms.join(" + ");
}

/**
 * `offset + i` as an index expression. Indices of the form `c`, `v`,
 * `c + v`, `v + c` or `v - c` (a loop variable shifted by a constant) come
 * back as `c + v` or `v - c`, so shifted views of shifted views read `i0`,
 * not `1 + i0 - 1`.
 */
export function offsetIndex(offset: number, i: string): string {
  if (/^-?\d+$/.test(i)) return String(offset + Number(i));
  const m = /^(?:(\d+) \+ )?([A-Za-z_]\w*)(?: ([+-]) (\d+))?$/.exec(i);
  if (m === null) return offset === 0 ? i : `${offset} + (${i})`;
  const c = offset + Number(m[1] ?? 0) + (m[3] === "-" ? -1 : 1) * Number(m[4] ?? 0);
  return c === 0 ? m[2] : c > 0 ? `${c} + ${m[2]}` : `${m[2]} - ${-c}`;
}
