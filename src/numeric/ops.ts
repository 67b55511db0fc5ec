/**
 * The numeric interpreter's primitive operations: the slow, simple reference
 * evaluator every compiled backend is tested against. Each primitive computes
 * values and propagates one forward-mode tangent exactly; a result whose
 * operands all have null tangents has a null tangent.
 *
 * @example
 * ```ts
 * const x = numTensor(Float64Array.of(2), [], Float64Array.of(1));
 * numericOps.unary("log", x); // v = [log 2], d = [1/2]
 * ```
 * @module
 */
import type { TensorOps } from "../tensor/ops.ts";
import { binary, unary } from "./elementwise.ts";
import { cholesky, matmul, triSolve } from "./linalg.ts";
import { scan } from "./scan.ts";
import { broadcast, concat, cumsum, gather, logSumExp, reshape, sum, transpose } from "./structural.ts";
import { type NumTensor, numTensor } from "./tensor.ts";

export { type NumTensor, numTensor } from "./tensor.ts";

/** {@link TensorOps} over dense values with one forward-mode tangent. */
export const numericOps: TensorOps<NumTensor> = {
  shape: (x) => x.shape,
  constant: (values, shape) => numTensor(values, shape),
  knownValue: (x) => (x.d === null ? x.v : undefined),
  unary,
  binary,
  broadcast,
  reshape,
  sum,
  logSumExp,
  gather,
  concat,
  transpose,
  matmul,
  cholesky,
  triSolve,
  cumsum,
  scan,
};
