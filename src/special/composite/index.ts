/**
 * Composite special functions, each written once against {@link Arith} and
 * run on numbers, ONNX graph nodes (src/codegen/onnx/arith.ts) or source text.
 *
 * @example
 * ```ts
 * lgamma(numberArith, 0.5); // log √π, on numbers
 * ```
 * @module
 */
export { type Arith, numberArith } from "./arith.ts";
export { cosPi, poly, reduceToHalf, sinPiOverPi } from "./poly.ts";
export { digamma, lgamma, tetragamma, trigamma } from "./gamma.ts";
export { erf } from "./erf.ts";
export { expm1, log1p, sigmoid, softplus } from "./log1p.ts";
