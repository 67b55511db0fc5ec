/**
 * The log-density handler, written once over the algebra: every interpreter
 * that evaluates log p (the numeric reference, the IR builder) uses it with
 * its own value representation.
 *
 * Convention: log p(θ) is the normalized log joint density at the
 * unconstrained point θ plus the log-Jacobian of the transforms. It differs
 * from Stan's `lp__`, which drops constant terms, by a constant.
 * @module
 */
import { ModelError } from "../errors.ts";
import type { MathAlg } from "../dsl/math.ts";
import type { ObserveSite, SampleSite, SiteHandler } from "../dsl/model.ts";
import type { Shape } from "../tensor/shape.ts";
import { isDiscrete } from "../dsl/support.ts";
import type { Tensor } from "../dsl/tensor.ts";
import type { LayoutEntry } from "../tensor/layout.ts";

/** Where the density handler reads parameters from. */
export interface ParamSource {
  /** The unconstrained vector of a site, θ[offset, offset + size). */
  unconstrained(offset: number, size: number, site: string): Tensor<1>;
}

/** What the density handler collects while the model runs. */
export interface DensityTrace {
  readonly layout: LayoutEntry[];
  /** Constrained values of latent sites and deterministics, by name. */
  readonly values: Map<string, Tensor>;
  /** Log-density terms of observed sites, elementwise (for pointwise log-likelihood). */
  readonly observed: Map<string, Tensor>;
  /** log p, a scalar. */
  total(): Tensor<0>;
}

/** Options of the density handler. */
export interface DensityOptions {
  /** Add the log-Jacobian of transforms (true for sampling on the unconstrained scale). */
  readonly jacobian: boolean;
  /** Turns a data array into the interpreter's tensor. */
  readonly data: (name: string, values: Float64Array, shape: Shape) => Tensor;
  /**
   * Evaluate at given constrained values instead of θ: each latent site
   * takes this value, with no transform and no Jacobian.
   */
  readonly constrained?: (site: SampleSite) => Tensor;
}

/** A site handler accumulating log p; `trace` exposes what it collected. */
export function densityHandler(m: MathAlg, source: ParamSource, opts: DensityOptions): { handler: SiteHandler; trace: DensityTrace } {
  const terms: Tensor<0>[] = [];
  const layout: LayoutEntry[] = [];
  const values = new Map<string, Tensor>();
  const observed = new Map<string, Tensor>();
  let offset = 0;

  const handler: SiteHandler = {
    sample(site: SampleSite): Tensor {
      if (isDiscrete(site.support)) {
        throw new ModelError(
          "unsupported",
          site.name,
          `is a discrete latent variable (${site.family.name}); gradient-based inference needs it marginalized out`,
        );
      }
      const size = site.transform.unconstrainedSize(site.shape);
      layout.push({ name: site.name, shape: site.shape, offset, size, transform: site.transformSpec });
      let x: Tensor;
      if (opts.constrained !== undefined) x = opts.constrained(site);
      else {
        const forward = site.transform.forward(m, source.unconstrained(offset, size, site.name), site.shape, site.bounds);
        x = forward.x;
        if (opts.jacobian) terms.push(forward.logJac);
      }
      offset += size;
      terms.push(m.sum(site.family.logProb(m, x, site.params)));
      values.set(site.name, x);
      return x;
    },
    observe(site: ObserveSite): void {
      const lp = site.family.logProb(m, site.value, site.params);
      observed.set(site.name, lp);
      terms.push(m.sum(lp));
    },
    data: opts.data,
    deterministic(name: string, value: Tensor): Tensor {
      values.set(name, value);
      return value;
    },
    factor(_name: string, logp: Tensor): void {
      terms.push(logp as Tensor<0>);
    },
  };
  const trace: DensityTrace = {
    layout,
    values,
    observed,
    total: () => (terms.length === 0 ? m.constant(0) : terms.reduce((a, b) => m.add(a, b))),
  };
  return { handler, trace };
}

/** Total unconstrained dimension of a layout. */
export function layoutDim(layout: readonly LayoutEntry[]): number {
  return layout.reduce((acc, e) => acc + e.size, 0);
}
