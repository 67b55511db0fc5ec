/**
 * Shape rules shared by the families: elementwise broadcasting of scalar
 * families' parameters, and the split of a parameter into batch and event
 * dimensions for families whose draws are vectors.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { type Shape, showShape } from "../tensor/shape.ts";

/** Reports a shape problem through a family's `fail`. */
export type Fail = (message: string) => never;

/**
 * The NumPy broadcast of parameter shapes, reported through `fail` (the
 * site's error) rather than thrown with no site.
 */
export function broadcastOrFail(shapes: readonly Shape[], fail: Fail): Shape {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let k = 0; k < s.length; k++) {
      const j = rank - s.length + k;
      if (out[j] === 1) out[j] = s[k];
      else if (s[k] !== 1 && s[k] !== out[j]) fail(`parameters of shapes ${shapes.map(showShape).join(", ")} do not broadcast`);
    }
  }
  return out;
}

/**
 * `shapes()` of a scalar family whose parameters broadcast elementwise: the
 * batch shape is their broadcast, the event shape is `[]`.
 *
 * @example
 * ```ts
 * const shapes = elementwiseShapes<"loc" | "scale">();
 * const fail = (message: string): never => {
 *   throw new Error(message);
 * };
 * shapes({ loc: [3], scale: [] }, fail); // { batch: [3], event: [] }
 * ```
 */
export function elementwiseShapes<P extends string>(): Family<P>["shapes"] {
  return (p, fail) => ({ batch: broadcastOrFail(Object.values<Shape>(p), fail), event: [] });
}

/**
 * Splits a parameter whose last axis is the event (a probability vector, a
 * concentration, a mean vector) into its batch shape and event length.
 */
export function splitLastAxis(name: string, shape: Shape, fail: Fail): { batch: Shape; k: number } {
  if (shape.length === 0) fail(`${name} must have at least one axis (the event), got a scalar`);
  const k = shape[shape.length - 1];
  if (k < 1) fail(`${name} has an empty last axis`);
  return { batch: shape.slice(0, -1), k };
}
