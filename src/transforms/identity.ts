/**
 * The identity: real-valued sites are sampled as they are.
 * @module
 */
import { sizeOf } from "../tensor/shape.ts";
import type { Transform } from "../dsl/transform.ts";

/** x = z, log-Jacobian 0. */
export const identity: Transform = {
  type: "identity",
  unconstrainedSize: sizeOf,
  forward: (m, z, shape) => ({ x: m.reshape(z, shape), logJac: m.constant(0) }),
  inverse: (x) => Float64Array.from(x),
};
