/**
 * {@link Arith} on WGSL source text: running a composite special function
 * on it writes the function out as straight-line float32 code, one `let`
 * per operation (an expression computed twice is named once). `isNaN` reads
 * the bits, since a shader compiler may assume NaN never occurs; sin and cos
 * are the accurate helpers of syntax.ts.
 *
 * @example
 * ```ts
 * const A = wgslArith();
 * const y = A.mul(A.add("x", A.c(1)), "x");
 * A.lines; // ["let t0 = (x + 1.0);", "let t1 = (t0 * x);"]
 * y;       // "t1"
 * ```
 * @module
 */
import type { Arith } from "../../special/composite/arith.ts";
import { literal } from "./literal.ts";

/** An {@link Arith} over WGSL expression text that records the statements it needs. */
export interface WgslArith extends Arith<string, string> {
  /** The statements so far, in order (unindented). */
  readonly lines: readonly string[];
}

/** A fresh WGSL arithmetic; names are `t` and a counter (helpers' parameters are named `x`). */
export function wgslArith(): WgslArith {
  const lines: string[] = [];
  const named = new Map<string, string>();
  const bind = (expr: string): string => {
    const seen = named.get(expr);
    if (seen !== undefined) return seen;
    const name = `t${named.size}`;
    named.set(expr, name);
    lines.push(`let ${name} = ${expr};`);
    return name;
  };
  return {
    lines,
    c: literal,
    add: (a, b) => bind(`(${a} + ${b})`),
    sub: (a, b) => bind(`(${a} - ${b})`),
    mul: (a, b) => bind(`(${a} * ${b})`),
    div: (a, b) => bind(`(${a} / ${b})`),
    neg: (a) => bind(`(-${a})`),
    abs: (a) => bind(`abs(${a})`),
    exp: (a) => bind(`exp(${a})`),
    log: (a) => bind(`log(${a})`),
    sqrt: (a) => bind(`sqrt(${a})`),
    floor: (a) => bind(`floor(${a})`),
    sin: (a) => bind(`sin_(${a})`),
    cos: (a) => bind(`cos_(${a})`),
    lt: (a, b) => bind(`(${a} < ${b})`),
    le: (a, b) => bind(`(${a} <= ${b})`),
    eq: (a, b) => bind(`(${a} == ${b})`),
    isNaN: (a) => bind(`isnan_(${a})`),
    or: (a, b) => bind(`(${a} || ${b})`),
    and: (a, b) => bind(`(${a} && ${b})`),
    where: (cond, a, b) => bind(`select(${b}, ${a}, ${cond})`),
  };
}
