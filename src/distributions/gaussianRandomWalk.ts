/**
 * The Gaussian random walk.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { sizeOf } from "../tensor/shape.ts";
import { normalLogDensity } from "./normal.ts";
import { expand } from "./sampling.ts";
import { eventColumns } from "./terms.ts";

const families = new Map<number, Family<"scale">>();

/**
 * A Gaussian random walk of `steps` points (event shape `[steps]`):
 * x₀ ~ N(0, scale), xₜ ~ N(xₜ₋₁, scale). The density is that of the
 * increments (x₀, x₁ − x₀, …), taken with one slice and one subtraction
 * along the steps axis, so it has no loop for the compiler to unroll.
 * One family per length, cached.
 *
 * @example
 * ```ts
 * const walk = model((m) => {
 *   const sigma = m.sample("sigma", m.halfNormal(1));
 *   const trend = m.sample("trend", m.gaussianRandomWalk(sigma, 100));
 *   return { sigma, trend };
 * });
 * priorSample(walk, undefined).draws.trend[0]; // one path of 100 points
 * ```
 */
export function gaussianRandomWalkFamily(steps: number): Family<"scale"> {
  const cached = families.get(steps);
  if (cached !== undefined) return cached;
  const family: Family<"scale"> = {
    name: "gaussian_random_walk",
    params: ["scale"],
    domains: { scale: "positive" },
    discrete: false,
    shapes: (p, fail) => {
      if (!Number.isInteger(steps) || steps < 1) fail(`steps must be a positive integer, got ${steps}`);
      return { batch: p.scale, event: [steps] };
    },
    support: () => ({ kind: "real" }),
    logProb: (m, x, p) => {
      // Steps along the first axis, one column per batch element: [steps, n].
      const { cols, batch } = eventColumns(m, x, 1);
      const increments = steps === 1 ? cols : m.concat([m.slice(cols, 0, 1), m.sub(m.slice(cols, 1), m.slice(cols, 0, steps - 1))]);
      const scale = m.reshape(m.broadcastTo(p.scale, batch), [sizeOf(batch)]);
      return m.reshape(m.sum(normalLogDensity(m, increments, 0, scale), 0), batch);
    },
    sample: (rng, p, batch) => {
      const scale = expand(p.scale, batch);
      const out = new Float64Array(scale.length * steps);
      for (let b = 0; b < scale.length; b++) {
        let x = 0;
        for (let t = 0; t < steps; t++) out[b * steps + t] = x += scale[b] * rng.normal();
      }
      return out;
    },
  };
  families.set(steps, family);
  return family;
}
