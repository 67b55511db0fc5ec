/**
 * Finite mixtures of scalar families.
 * @module
 */
import type { Dist, Family } from "../dsl/distribution.ts";
import { type Shape, showShape } from "../tensor/shape.ts";
import type { Domain, Support } from "../dsl/support.ts";
import type { Tensor } from "../dsl/tensor.ts";
import { drawCategorical } from "./categorical.ts";
import { expand } from "./sampling.ts";
import { broadcastOrFail, splitLastAxis } from "./shapes.ts";

/** The mixture's name for parameter `name` of component `k`: `c0_loc`, `c1_scale`, …. */
export function componentParam(k: number, name: string): string {
  return `c${k}_${name}`;
}

/** Component `k`'s own parameters, picked out of the mixture's. */
function own<T>(family: Family, k: number, p: { readonly [key: string]: T }): Record<string, T> {
  return Object.fromEntries(family.params.map((name) => [name, p[componentParam(k, name)]]));
}

function sameSupport(a: Support, b: Support): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "interval" && b.kind === "interval") return a.lower === b.lower && a.upper === b.upper;
  if (a.kind === "intRange" && b.kind === "intRange") return a.lower === b.lower && a.upper === b.upper;
  return true;
}

/**
 * The family of a finite mixture Σₖ wₖ pₖ(x) of scalar components, built
 * per call from the components (`m.mixture(weights, [m.normal(…), …])`).
 * Its parameters are `weights` (`[K]`, or `[N, K]` for one weight vector per
 * element of a vector batch) and each component's parameters renamed
 * `c{k}_{name}`. log p(x) = logSumExp over k of log wₖ + log pₖ(x),
 * computed by stacking the components' log densities along a new first axis.
 * The components must share one support (for an interval, the same bound
 * tensors) and be all discrete or all continuous.
 *
 * @example
 * ```ts
 * const twoGroups = model((m, data: { y: number[] }) => {
 *   const mu = m.sample("mu", m.normal(2, 2));
 *   const sigma = m.sample("sigma", m.halfNormal(1));
 *   m.observe("y", m.mixture([0.3, 0.7], [m.normal(-1, 1), m.normal(mu, sigma)]), data.y);
 *   return { mu, sigma };
 * });
 * logDensity(twoGroups, { y: [-1.2, 2.1, 2.8, 1.9] }).logpConstrained({ mu: 2, sigma: 0.5 });
 * ```
 */
export function mixtureFamily(components: readonly Dist[]): Family {
  const families = components.map((c) => c.family);
  const params = ["weights", ...families.flatMap((f, k) => f.params.map((name) => componentParam(k, name)))];
  const domains: Record<string, Domain> = { weights: "simplex" };
  families.forEach((f, k) => f.params.forEach((name) => (domains[componentParam(k, name)] = f.domains[name])));
  const supports = components.map((c) => c.family.support(c.params));
  const discrete = families.every((f) => f.discrete);
  const k = components.length;
  return {
    name: "mixture",
    params,
    domains,
    discrete,
    shapes: (p, fail) => {
      if (k === 0) fail("needs at least one component");
      if (families.some((f) => f.discrete !== discrete)) fail("components must be all discrete or all continuous");
      if (supports.some((s) => !sameSupport(s, supports[0])))
        fail(`components must share one support, got ${supports.map((s) => s.kind).join(", ")}`);
      const { batch: weightBatch, k: kw } = splitLastAxis("weights", p.weights, fail);
      if (kw !== k) fail(`weights have ${kw} entries for ${k} components`);
      if (weightBatch.length > 1) fail(`weights must be [K] or [N, K], got ${showShape(p.weights)}`);
      const batches: Shape[] = [weightBatch];
      families.forEach((f, j) => {
        const s = f.shapes(own(f, j, p), fail);
        if (s.event.length !== 0) fail(`component ${j} (${f.name}) is not scalar: event shape ${showShape(s.event)}`);
        batches.push(s.batch);
      });
      return { batch: broadcastOrFail(batches, fail), event: [] };
    },
    support: (p) => families[0].support(own(families[0], 0, p)),
    logProb: (m, x, p) => {
      const batch = m.shapeOf(x);
      const ones = (n: number) => new Array<number>(n).fill(1);
      const rows = families.map((f, j) => m.reshape(m.broadcastTo(f.logProb(m, x, own(f, j, p)), batch), [1, ...batch]));
      const stacked = m.concat(rows); // [K, ...batch]
      const w = p.weights;
      const wShape = m.shapeOf(w);
      // Weights to [K, 1, …, 1] or [K, 1, …, N], aligned with the stacked batch on the right.
      const logW =
        wShape.length === 1
          ? m.reshape(m.log(w), [k, ...ones(batch.length)])
          : m.reshape(m.transpose(m.log(w) as Tensor<2>), [k, ...ones(batch.length - 1), wShape[0]]);
      return m.logSumExp(m.add(stacked, logW), 0);
    },
    sample: families.every((f) => f.sample !== undefined)
      ? (rng, p, batch) => {
          const draws = families.map((f, j) => f.sample!(rng, own(f, j, p), batch));
          const which = drawCategorical(rng, expand(p.weights, [...batch, k]), k, batch);
          return which.map((c, i) => draws[c][i]);
        }
      : undefined,
  };
}
