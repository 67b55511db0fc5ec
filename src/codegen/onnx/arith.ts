/**
 * {@link Arith} over ONNX graph nodes: every value is the name of a tensor
 * in the builder's graph, conditions are bool tensors. Only ops that
 * onnxruntime's CPU provider runs in float64 are used, so the composites in
 * src/special/composite run there in float64 and float32 alike.
 * @module
 */
import type { Arith } from "../../special/composite/arith.ts";
import type { GraphBuilder } from "./builder.ts";

/**
 * The arithmetic of graph `b`: `c(x)` is a shared scalar initializer, the
 * rest map one to one onto ONNX nodes (broadcasting applies).
 *
 * @example
 * ```ts
 * import { GraphBuilder } from "./builder.ts";
 * import { lgamma } from "../../special/composite/index.ts";
 * const b = new GraphBuilder("float64");
 * const y = lgamma(onnxArith(b), "x"); // the name of log|Γ(x)|, elementwise
 * ```
 */
export function onnxArith(b: GraphBuilder): Arith<string, string> {
  const un = (type: string) => (a: string) => b.op(type, [a]);
  const bin = (type: string) => (a: string, c: string) => b.op(type, [a, c]);
  return {
    c: (x) => b.scalar(x),
    add: bin("Add"),
    sub: bin("Sub"),
    mul: bin("Mul"),
    div: bin("Div"),
    neg: un("Neg"),
    abs: un("Abs"),
    exp: un("Exp"),
    log: un("Log"),
    sqrt: un("Sqrt"),
    floor: un("Floor"),
    sin: un("Sin"),
    cos: un("Cos"),
    lt: bin("Less"),
    le: bin("LessOrEqual"),
    eq: bin("Equal"),
    isNaN: un("IsNaN"),
    or: bin("Or"),
    and: bin("And"),
    where: (cond, a, c) => b.where(cond, a, c),
  };
}
