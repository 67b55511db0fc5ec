/**
 * The reference log density: the model evaluated numerically, its gradient
 * by forward-mode dual numbers (one pass per coordinate). Slow and simple on
 * purpose: it is the oracle every compiled backend is tested against, and it
 * shares no code with src/autodiff.
 * @module
 */
import { DataError } from "../errors.ts";
import { numericToArray } from "../dsl/math.ts";
import { type Model, type Outputs, runModel } from "../dsl/model.ts";
import { sameShape, type Shape, showShape } from "../tensor/shape.ts";
import type { Tensor } from "../dsl/tensor.ts";
import { numericOps, numTensor, type NumTensor } from "../numeric/ops.ts";
import { densityHandler, type DensityTrace, layoutDim } from "./density.ts";
import type { Numeric } from "../tensor/shape.ts";
import { type LayoutEntry } from "../tensor/layout.ts";

/** The reference density of a model with its data. */
export interface ReferenceDensity {
  readonly dim: number;
  readonly layout: readonly LayoutEntry[];
  /** log p(θ) (normalized joint plus log-Jacobian) at unconstrained θ. */
  logp(theta: ArrayLike<number>): number;
  /** log p(θ) and its gradient, by forward-mode differentiation. */
  logpGrad(theta: ArrayLike<number>): { logp: number; grad: Float64Array };
  /** log p at constrained values by site name, without the Jacobian. */
  logpConstrained(values: Readonly<Record<string, Numeric>>): number;
  /** Constrained values of latent sites and deterministics at θ. */
  constrain(theta: ArrayLike<number>): Record<string, { shape: Shape; values: Float64Array }>;
  /** Elementwise log-likelihood of each observed site at θ. */
  logLik(theta: ArrayLike<number>): Record<string, Float64Array>;
  /** Elementwise log-likelihood of each observed site at constrained values by site name. */
  logLikConstrained(values: Readonly<Record<string, Numeric>>): Record<string, Float64Array>;
}

const num = (t: Tensor): NumTensor => t as unknown as NumTensor;

/**
 * The reference (slow, exact) log density of a model.
 *
 * @example
 * ```ts
 * const ref = logDensity(eightSchools, data);
 * const { logp, grad } = ref.logpGrad(new Float64Array(ref.dim));
 * ```
 */
export function logDensity<D, O extends Outputs>(mdl: Model<D, O>, data: D): ReferenceDensity {
  const run = (
    theta: ArrayLike<number> | null,
    direction: number | null,
    constrained?: Readonly<Record<string, Numeric>>,
  ): DensityTrace => {
    let trace: DensityTrace | undefined;
    runModel(mdl, data, numericOps, (m) => {
      const h = densityHandler(
        m,
        {
          unconstrained: (offset, size) => {
            const v = new Float64Array(size);
            if (theta !== null) for (let i = 0; i < size; i++) v[i] = theta[offset + i];
            let d: Float64Array | null = null;
            if (direction !== null && direction >= offset && direction < offset + size) {
              d = new Float64Array(size);
              d[direction - offset] = 1;
            }
            return numTensor(v, [size], d) as unknown as Tensor<1>;
          },
        },
        {
          jacobian: true,
          data: (_name, values, shape) => numericOps.constant(values, shape) as unknown as Tensor,
          constrained:
            constrained === undefined
              ? undefined
              : (site) => {
                  // Own keys only: a site named like an Object.prototype member (__proto__, toString) is not given by inheritance.
                  const given = Object.hasOwn(constrained, site.name) ? constrained[site.name] : undefined;
                  if (given === undefined) throw new DataError(site.name, "no value given for this parameter");
                  const { values, shape } = numericToArray(given, site.name);
                  if (!sameShape(shape, site.shape))
                    throw new DataError(site.name, `expected shape ${showShape(site.shape)}, got ${showShape(shape)}`);
                  return numericOps.constant(values, shape) as unknown as Tensor;
                },
        },
      );
      trace = h.trace;
      return h.handler;
    });
    return trace as unknown as DensityTrace;
  };
  const structure = run(null, null);
  const layout = structure.layout;
  const dim = layoutDim(layout);
  const check = (theta: ArrayLike<number>) => {
    if (theta.length !== dim) throw new RangeError(`θ has length ${theta.length}, the model has dimension ${dim}`);
  };
  return {
    dim,
    layout,
    logp(theta) {
      check(theta);
      return num(run(theta, null).total()).v[0];
    },
    logpGrad(theta) {
      check(theta);
      const grad = new Float64Array(dim);
      let logp = num(run(theta, null).total()).v[0];
      for (let k = 0; k < dim; k++) {
        const t = num(run(theta, k).total());
        logp = t.v[0];
        grad[k] = t.d === null ? 0 : t.d[0];
      }
      return { logp, grad };
    },
    logpConstrained(values) {
      return num(run(null, null, values).total()).v[0];
    },
    constrain(theta) {
      check(theta);
      const t = run(theta, null);
      return Object.fromEntries([...t.values].map(([k, v]) => [k, { shape: num(v).shape, values: num(v).v }]));
    },
    logLik(theta) {
      check(theta);
      const t = run(theta, null);
      return Object.fromEntries([...t.observed].map(([k, v]) => [k, num(v).v]));
    },
    logLikConstrained(values) {
      const t = run(null, null, values);
      return Object.fromEntries([...t.observed].map(([k, v]) => [k, num(v).v]));
    },
  };
}
