/**
 * The prior interpreter: forward sampling, seeded and reproducible. Observed
 * sites are simulated too (the prior predictive).
 * @module
 */
import { ModelError } from "../errors.ts";
import type { NumericParam } from "../dsl/distribution.ts";
import { type Model, type Outputs, runModel, type SampleSite, type SiteHandler } from "../dsl/model.ts";
import { defaultTransformType } from "../transforms/index.ts";
import { type Shape, sizeOf } from "../tensor/shape.ts";
import type { Rank, Tensor } from "../dsl/tensor.ts";
import { Rng } from "../random/rng.ts";
import { numericOps, type NumTensor } from "../numeric/ops.ts";

/** Nested number arrays for a value of rank R, one per draw. */
export type Nested<R> = R extends 0 ? number : R extends 1 ? number[] : R extends 2 ? number[][] : R extends 3 ? number[][][] : unknown;

/** Draws of a model's outputs, typed from the model: `draws.theta[i]` is draw i. */
export type DrawsOf<O> = { [K in keyof O]: O[K] extends Tensor<infer R extends Rank> ? Nested<R>[] : unknown[] };

/** The prior (predictive) draws of every site, plus the typed outputs. */
export interface PriorDraws<O extends Outputs> {
  /** The model's returned values, draw by draw. */
  readonly draws: DrawsOf<O>;
  /** Every latent, observed and deterministic site: shape and one flat array per draw. */
  readonly sites: Readonly<Record<string, PriorSite>>;
  /** Things the prior could not honour (factors are ignored). */
  readonly warnings: readonly string[];
}

/** The draws of one site. */
export interface PriorSite {
  readonly kind: "latent" | "observed" | "deterministic";
  readonly shape: Shape;
  readonly values: Float64Array[];
}

/** Options of {@link priorSample}. */
export interface PriorOptions {
  /** Number of draws (default 1000). */
  readonly draws?: number;
  /** Seed of the random stream (default 0). */
  readonly seed?: number;
  /**
   * Values of latent sites, one record per draw (row-major, constrained):
   * those sites take them instead of being drawn, so the observed sites give
   * posterior predictive draws. Sets the number of draws.
   */
  readonly given?: readonly Readonly<Record<string, ArrayLike<number>>>[];
}

const asNum = (t: Tensor): NumTensor => t as unknown as NumTensor;
const asTensor = (x: NumTensor): Tensor => x as unknown as Tensor;

/** Nests a row-major array into arrays of arrays following `shape`. */
export function nest(values: ArrayLike<number>, shape: Shape): unknown {
  if (shape.length === 0) return values[0];
  const rest = shape.slice(1);
  const step = rest.reduce((a, b) => a * b, 1);
  return Array.from({ length: shape[0] }, (_, i) => nest(Array.prototype.slice.call(values, i * step, (i + 1) * step), rest));
}

/** Draws tried before a site whose transform narrows its support gives up. */
const MAX_REJECTIONS = 10_000;

/**
 * A draw inside the image of the site's transform. A transform chosen over
 * the default (a normal declared positive-ordered, as Stan's
 * `positive_ordered[K] phi; phi ~ normal(…)`) truncates the family, and the
 * density is that of the truncated family; draws outside are rejected. The
 * inverse transform of a point outside the image is not finite.
 */
function drawInImage(site: SampleSite, draw: () => NumTensor): NumTensor {
  if (site.transformSpec.type === defaultTransformType(site.support)) return draw();
  for (let tries = 0; tries < MAX_REJECTIONS; tries++) {
    const x = draw();
    if (site.transform.inverse(x.v, site.shape, {}).every(Number.isFinite)) return x;
  }
  throw new ModelError(
    "support",
    site.name,
    `no prior draw in ${MAX_REJECTIONS} fell inside the image of the "${site.transformSpec.type}" transform`,
  );
}

/**
 * Draws from the prior (and prior predictive) of a model.
 *
 * @example
 * ```ts
 * const prior = priorSample(eightSchools, data, { draws: 500, seed: 1 });
 * prior.draws.tau[0]; // a number
 * ```
 */
export function priorSample<D, O extends Outputs>(mdl: Model<D, O>, data: D, opts: PriorOptions = {}): PriorDraws<O> {
  const n = opts.given?.length ?? opts.draws ?? 1000;
  const rng = new Rng(opts.seed ?? 0);
  // Maps, not objects: site names are user strings (a site may be called "__proto__").
  const sites = new Map<string, PriorSite>();
  const warnings = new Set<string>();
  const record = (name: string, kind: PriorSite["kind"], x: NumTensor) => {
    const entry = sites.get(name) ?? { kind, shape: x.shape, values: [] as Float64Array[] };
    entry.values.push(Float64Array.from(x.v));
    sites.set(name, entry);
  };
  const draw = (
    name: string,
    family: { name: string; sample?: unknown; params: readonly string[] },
    params: Record<string, Tensor>,
    batch: Shape,
    shape: Shape,
  ): NumTensor => {
    const f = family as {
      name: string;
      params: readonly string[];
      sample?: (rng: Rng, p: Record<string, NumericParam>, batch: Shape) => Float64Array;
    };
    if (f.sample === undefined) throw new ModelError("unsupported", name, `${f.name} is improper and has no prior draws`);
    const p: Record<string, NumericParam> = {};
    for (const k of f.params) p[k] = { values: asNum(params[k]).v, shape: asNum(params[k]).shape };
    return numericOps.constant(f.sample(rng, p, batch), shape);
  };
  const outputs = new Map<string, unknown[]>();
  for (let i = 0; i < n; i++) {
    const run = runModel(mdl, data, numericOps, (): SiteHandler => ({
      sample(site) {
        // Own keys only: a site named "toString" must not find Object.prototype.toString.
        const given = opts.given?.[i];
        const fixed = given !== undefined && Object.hasOwn(given, site.name) ? given[site.name] : undefined;
        if (fixed !== undefined) {
          if (fixed.length !== sizeOf(site.shape)) {
            throw new ModelError("shape", site.name, `given ${fixed.length} values for a site of shape [${site.shape.join(", ")}]`);
          }
          const x = numericOps.constant(Float64Array.from(fixed), site.shape);
          record(site.name, "latent", x);
          return asTensor(x);
        }
        const x = drawInImage(site, () => draw(site.name, site.family, site.params, site.batchShape, site.shape));
        record(site.name, "latent", x);
        return asTensor(x);
      },
      observe(site) {
        record(site.name, "observed", draw(site.name, site.family, site.params, site.batchShape, site.shape));
      },
      data: (_name, values, shape) => asTensor(numericOps.constant(values, shape)),
      deterministic(name, value) {
        record(name, "deterministic", asNum(value));
        return value;
      },
      factor(name) {
        warnings.add(`factor '${name}' is ignored by the prior`);
      },
    }));
    for (const [k, v] of Object.entries(run.outputs)) {
      const list = outputs.get(k) ?? [];
      list.push(nest(asNum(v).v, asNum(v).shape));
      outputs.set(k, list);
    }
  }
  return {
    draws: Object.fromEntries(outputs) as DrawsOf<O>,
    sites: Object.fromEntries(sites),
    warnings: [...warnings],
  };
}
