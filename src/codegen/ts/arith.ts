/**
 * {@link Arith} on TypeScript source text: running a composite special
 * function on it writes the function out as straight-line code, one typed
 * `const` per operation. Values are names or number literals, so operands
 * never need parentheses; an expression computed twice is named once (every
 * operation is pure).
 *
 * @example
 * ```ts
 * const A = textArith();
 * const y = A.mul(A.add("x", A.c(1)), "x");
 * A.lines; // ["const t0: number = x + 1;", "const t1: number = t0 * x;"]
 * y;       // "t1"
 * ```
 * @module
 */
import type { Arith } from "../../special/composite/arith.ts";
import { literal } from "../js/syntax.ts";

/** An {@link Arith} over expression text that records the statements it needs. */
export interface TextArith extends Arith<string, string> {
  /** The statements so far, in order (unindented). */
  readonly lines: readonly string[];
}

/**
 * A fresh text arithmetic. Names are `prefix` followed by a counter; the
 * caller picks a prefix no other name of the scope starts with.
 */
export function textArith(prefix = "t"): TextArith {
  const lines: string[] = [];
  const named = new Map<string, string>();
  const bind = (type: "number" | "boolean", expr: string): string => {
    const seen = named.get(expr);
    if (seen !== undefined) return seen;
    const name = `${prefix}${named.size}`;
    named.set(expr, name);
    lines.push(`const ${name}: ${type} = ${expr};`);
    return name;
  };
  const num = (expr: string) => bind("number", expr);
  const bool = (expr: string) => bind("boolean", expr);
  return {
    lines,
    c: literal,
    add: (a, b) => num(`${a} + ${b}`),
    sub: (a, b) => num(`${a} - ${b}`),
    mul: (a, b) => num(`${a} * ${b}`),
    div: (a, b) => num(`${a} / ${b}`),
    // A negative literal is parenthesized (see literal), so `-a` never reads as a decrement.
    neg: (a) => num(`-${a}`),
    abs: (a) => num(`Math.abs(${a})`),
    exp: (a) => num(`Math.exp(${a})`),
    log: (a) => num(`Math.log(${a})`),
    sqrt: (a) => num(`Math.sqrt(${a})`),
    floor: (a) => num(`Math.floor(${a})`),
    sin: (a) => num(`Math.sin(${a})`),
    cos: (a) => num(`Math.cos(${a})`),
    lt: (a, b) => bool(`${a} < ${b}`),
    le: (a, b) => bool(`${a} <= ${b}`),
    eq: (a, b) => bool(`${a} === ${b}`),
    isNaN: (a) => bool(`Number.isNaN(${a})`),
    or: (a, b) => bool(`${a} || ${b}`),
    and: (a, b) => bool(`${a} && ${b}`),
    where: (cond, a, b) => num(`${cond} ? ${a} : ${b}`),
  };
}
