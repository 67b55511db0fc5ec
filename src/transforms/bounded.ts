/**
 * Elementwise transforms to half-lines and intervals, whose bounds may be
 * constants or tensors that depend on other parameters.
 * @module
 */
import { ModelError } from "../errors.ts";
import { sizeOf } from "../tensor/shape.ts";
import type { MathAlg } from "../dsl/math.ts";
import type { Tensor } from "../dsl/tensor.ts";
import type { Transform } from "../dsl/transform.ts";

function need<T>(bound: T | undefined, which: string): T {
  if (bound === undefined) throw new ModelError("support", undefined, `this transform needs a ${which} bound`);
  return bound;
}

/** The inverse of the logistic function. */
export const logit = (p: number): number => Math.log(p) - Math.log1p(-p);

/** x = exp(z) on (0, ∞); log-Jacobian Σ z. */
export const log: Transform = {
  type: "log",
  unconstrainedSize: sizeOf,
  forward: (m, z, shape) => ({ x: m.reshape(m.exp(z), shape), logJac: m.sum(z) }),
  inverse: (x) => x.map(Math.log),
};

/** x = lower + exp(z) on (lower, ∞); log-Jacobian Σ z. */
export const lower: Transform = {
  type: "lower",
  unconstrainedSize: sizeOf,
  forward: (m, z, shape, b) => ({ x: m.add(need(b.lower, "lower"), m.reshape(m.exp(z), shape)), logJac: m.sum(z) }),
  inverse: (x, _shape, b) => {
    const lo = need(b.lower, "lower");
    return x.map((v, i) => Math.log(v - lo[i]));
  },
};

/** x = upper − exp(z) on (−∞, upper); log-Jacobian Σ z. */
export const upper: Transform = {
  type: "upper",
  unconstrainedSize: sizeOf,
  forward: (m, z, shape, b) => ({ x: m.sub(need(b.upper, "upper"), m.reshape(m.exp(z), shape)), logJac: m.sum(z) }),
  inverse: (x, _shape, b) => {
    const hi = need(b.upper, "upper");
    return x.map((v, i) => Math.log(hi[i] - v));
  },
};

/** log σ(z) + log(1 − σ(z)): the log-derivative of the logistic function. */
function logLogisticSlope(m: MathAlg, z: Tensor): Tensor {
  return m.add(m.logInvLogit(z), m.log1mInvLogit(z));
}

/** x = lower + (upper − lower)·σ(z); log-Jacobian Σ log(upper − lower) + log σ(z) + log(1 − σ(z)). */
export const lowerUpper: Transform = {
  type: "lowerUpper",
  unconstrainedSize: sizeOf,
  forward: (m, z, shape, b) => {
    const lo = need(b.lower, "lower");
    const width = m.sub(need(b.upper, "upper"), lo);
    const zs = m.reshape(z, shape);
    return {
      x: m.add(lo, m.mul(width, m.invLogit(zs))),
      logJac: m.sum(m.add(m.log(width), logLogisticSlope(m, zs))),
    };
  },
  inverse: (x, _shape, b) => {
    const lo = need(b.lower, "lower");
    const hi = need(b.upper, "upper");
    return x.map((v, i) => logit((v - lo[i]) / (hi[i] - lo[i])));
  },
};

/** x = σ(z) on (0, 1); log-Jacobian Σ log σ(z) + log(1 − σ(z)). */
export const unitLogit: Transform = {
  type: "logit",
  unconstrainedSize: sizeOf,
  forward: (m, z, shape) => {
    const zs = m.reshape(z, shape);
    return { x: m.invLogit(zs), logJac: m.sum(logLogisticSlope(m, zs)) };
  },
  inverse: (x) => x.map(logit),
};
