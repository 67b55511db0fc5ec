/**
 * Models: typed programs over the modelling algebra, and the one place where
 * sites are validated (names, shapes, supports, data) before an interpreter
 * sees them. Every interpreter therefore raises the same build-time errors.
 * @module
 */
import { DataError, ModelError, ShapeError, SiteNameError, SupportError } from "../errors.ts";
import { defaultTransformType, getTransform, transformMismatch } from "../transforms/index.ts";
import { constructors, type Distributions } from "../distributions/index.ts";
import type { Dist, Family, Params } from "./distribution.ts";
import { watchDataReads } from "./dataReads.ts";
import { makeMath, numericToArray, type MathAlg } from "./math.ts";
import type { TensorOps } from "../tensor/ops.ts";
import { broadcastShapes, sameShape, type Shape, showShape } from "../tensor/shape.ts";
import { checkSiteName } from "./siteName.ts";
import { checkScalarDomain, type Support } from "./support.ts";
import type { Operand, Rank, RankOf, RankOfShape, Tensor } from "./tensor.ts";
import type { Bounds, Transform } from "./transform.ts";
import type { Numeric } from "../tensor/shape.ts";
import type { TransformSpec, TransformType } from "../tensor/layout.ts";

/** Options of a latent site ({@link ModelAlg.sample}). */
export interface SiteOptions<S extends readonly number[] = readonly number[]> {
  /** The batch shape (a plate): the family's parameters broadcast to it. */
  readonly shape?: S;
  /** Overrides the default transform to unconstrained space. */
  readonly transform?: TransformType;
  /**
   * How NUTS may parameterize a location-scale site: `"auto"` (the default)
   * lets warm-up choose between centered, non-centered and partially
   * centered; `"centered"` keeps the site as written; `"noncentered"` samples
   * `loc + scale · z`.
   */
  readonly reparam?: Reparam;
}

/** The parameterization choices of a location-scale site (see {@link SiteOptions.reparam}). */
export type Reparam = "auto" | "centered" | "noncentered";

/** A latent site, validated, as handlers receive it. */
export interface SampleSite {
  readonly name: string;
  readonly family: Family;
  readonly params: Params;
  readonly batchShape: Shape;
  readonly eventShape: Shape;
  /** Shape of the value: `[...batchShape, ...eventShape]`. */
  readonly shape: Shape;
  readonly support: Support;
  readonly transform: Transform;
  /** The transform as a layout entry records it. */
  readonly transformSpec: TransformSpec;
  readonly bounds: Bounds<Tensor>;
  /** The parameterization the model asks for. */
  readonly reparam: Reparam;
}

/** An observed site, validated. */
export interface ObserveSite {
  readonly name: string;
  readonly family: Family;
  readonly params: Params;
  readonly value: Tensor;
  readonly shape: Shape;
  readonly batchShape: Shape;
}

/**
 * What an interpreter does at each kind of site. Handlers receive validated
 * sites and compute with the algebra they were built with.
 */
export interface SiteHandler {
  sample(site: SampleSite): Tensor;
  observe(site: ObserveSite): void;
  data(name: string, values: Float64Array, shape: Shape): Tensor;
  deterministic(name: string, value: Tensor): Tensor;
  factor(name: string, logp: Tensor): void;
  /** Called once after the model has returned: where a handler reports names that matched no site. */
  finish?(): void;
}

/**
 * The modelling algebra: arithmetic ({@link MathAlg}), distribution
 * constructors ({@link Distributions}) and sites.
 */
export interface ModelAlg extends MathAlg, Distributions {
  /** A latent variable drawn from `dist`; its shape is the family's, or `opts.shape` (a plate) plus the event shape. */
  sample<R extends Rank>(name: string, dist: Dist<R>, opts?: { readonly transform?: TransformType; readonly reparam?: Reparam }): Tensor<R>;
  sample<const S extends readonly number[]>(name: string, dist: Dist, opts: SiteOptions<S>): Tensor<RankOfShape<S>>;
  /** Conditions on observed `value` (plain numbers become a data site of the same name). */
  observe(name: string, dist: Dist, value: Operand): void;
  /** Data that may change without rebuilding the model. */
  data<T extends Numeric>(name: string, value: T): Tensor<RankOf<T> & Rank>;
  /** A named function of other values, reported with the draws. */
  deterministic<R extends Rank>(name: string, value: Tensor<R>): Tensor<R>;
  /** Adds an arbitrary term to the log density. */
  factor(name: string, logp: Operand): void;
}

/** What a model returns: named values. Those that are not sites become deterministics. */
export type Outputs = Readonly<Record<string, Tensor>>;

/** What a {@link HandlerWrap} may use besides the next handler. */
export interface WrapEnv {
  /** The interpreter's own handler, below every wrap: where `block` sends hidden sites. */
  readonly base: SiteHandler;
  /** The value of a tensor that does not depend on parameters (constants, data), else undefined. */
  known(x: Tensor): Float64Array | undefined;
}

/**
 * Rewrites the site handler a model runs with (condition, substitute,
 * block). `next` is the handler of the wraps applied after this one, then
 * the interpreter's.
 */
export type HandlerWrap = (next: SiteHandler, m: MathAlg, env: WrapEnv) => SiteHandler;

/** A model: a typed function of the algebra and the data. */
export interface Model<D = unknown, O extends Outputs = Outputs> {
  readonly fn: (m: ModelAlg, data: D) => O;
  /**
   * Handlers in the order they were applied. As in NumPyro, the first
   * applied is innermost: it sees each site first and passes it on to the
   * ones applied around it.
   */
  readonly wraps: readonly HandlerWrap[];
}

/**
 * Declares a model.
 *
 * @example
 * ```ts
 * const eightSchools = model((m, data: { y: number[]; sigma: number[] }) => {
 *   const mu = m.sample("mu", m.normal(0, 5));
 *   const tau = m.sample("tau", m.halfNormal(5));
 *   const theta = m.sample("theta", m.normal(mu, tau), { shape: [8] });
 *   m.observe("y", m.normal(theta, m.data("sigma", data.sigma)), data.y);
 *   return { mu, tau, theta };
 * });
 * ```
 */
export function model<D = void, O extends Outputs = Outputs>(fn: (m: ModelAlg, data: D) => O): Model<D, O> {
  return { fn, wraps: [] };
}

/** A model with one more handler wrapped around it. */
export function withHandler<D, O extends Outputs>(mdl: Model<D, O>, wrap: HandlerWrap): Model<D, O> {
  return { fn: mdl.fn, wraps: [...mdl.wraps, wrap] };
}

/** The result of running a model once through an interpreter. */
export interface ModelRun<O extends Outputs> {
  readonly outputs: O;
  readonly math: MathAlg;
}

function checkDomainValues(site: string, what: string, domain: Parameters<typeof checkScalarDomain>[0], values: Float64Array): void {
  for (let i = 0; i < values.length; i++) {
    const why = checkScalarDomain(domain, values[i]);
    if (why !== undefined) {
      throw new SupportError(site, `${what}${values.length > 1 ? `[${i}]` : ""} = ${values[i]} ${why}`);
    }
  }
}

const SIMPLEX_TOL = 1e-8;

/**
 * Checks known values against a support (`what` names them in the error);
 * bounds that are parameters are checked by the density (−∞).
 */
export function checkSupport(
  site: string,
  support: Support,
  values: Float64Array,
  shape: Shape,
  known: (t: Tensor) => Float64Array | undefined,
  what = "observed value",
): void {
  const bad = (i: number, why: string): never => {
    throw new SupportError(site, `${what}${values.length > 1 ? `[${i}]` : ""} = ${values[i]} ${why}`);
  };
  const bound = (t: Tensor | undefined, i: number): number | undefined => {
    const b = t === undefined ? undefined : known(t);
    return b === undefined ? undefined : b.length === 1 ? b[0] : b[i % b.length];
  };
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (Number.isNaN(x)) bad(i, "is NaN");
    switch (support.kind) {
      case "positive":
        if (!(x > 0)) bad(i, "is outside the support (0, ∞)");
        break;
      case "unit":
        if (!(x > 0 && x < 1)) bad(i, "is outside the support (0, 1)");
        break;
      case "binary":
        if (x !== 0 && x !== 1) bad(i, "must be 0 or 1");
        break;
      case "count":
        if (!(Number.isInteger(x) && x >= 0)) bad(i, "must be a non-negative integer");
        break;
      case "intRange": {
        const hi = bound(support.upper, i);
        if (!(Number.isInteger(x) && x >= support.lower && (hi === undefined || x <= hi))) {
          bad(i, `must be an integer in [${support.lower}, ${hi ?? "…"}]`);
        }
        break;
      }
      case "interval": {
        const lo = bound(support.lower, i);
        const hi = bound(support.upper, i);
        if ((lo !== undefined && !(x >= lo)) || (hi !== undefined && !(x <= hi))) bad(i, `is outside [${lo ?? "−∞"}, ${hi ?? "∞"}]`);
        break;
      }
      default:
        if (!Number.isFinite(x)) bad(i, "must be finite");
    }
  }
  if (support.kind === "simplex") {
    const k = shape[shape.length - 1] ?? 1;
    for (let r = 0; r < values.length; r += k) {
      let s = 0;
      for (let j = 0; j < k; j++) {
        if (values[r + j] < 0) bad(r + j, "is negative in a simplex");
        s += values[r + j];
      }
      if (Math.abs(s - 1) > SIMPLEX_TOL) bad(r, `starts a simplex that sums to ${s}, not 1`);
    }
  }
}

/**
 * Runs a model through an interpreter: `ops` is its value representation,
 * `makeHandler` what it does at sites. Validates every site on the way.
 */
export function runModel<V, D, O extends Outputs>(
  mdl: Model<D, O>,
  data: D,
  ops: TensorOps<V>,
  makeHandler: (m: MathAlg) => SiteHandler,
): ModelRun<O> {
  let current: string | undefined;
  const math = makeMath(ops, { site: () => current });
  const known = (x: Tensor): Float64Array | undefined => ops.knownValue(x as unknown as V);
  const base = makeHandler(math);
  // Built from the last-applied wrap inwards, so that the first-applied one sees sites first.
  const layers = new Set<SiteHandler>([base]);
  let handler = base;
  for (let i = mdl.wraps.length - 1; i >= 0; i--) {
    handler = mdl.wraps[i](handler, math, { base, known });
    layers.add(handler);
  }
  const names = new Set<string>();
  const siteValues = new Map<Tensor, string>();
  const toTensor = (x: Operand): Tensor => (typeof x === "number" || Array.isArray(x) ? math.constant(x as Numeric) : (x as Tensor));

  const claim = (name: string): void => {
    checkSiteName(name);
    if (names.has(name)) throw new SiteNameError(name, "two sites have this name");
    names.add(name);
    current = name;
  };
  const validateDist = (name: string, dist: Dist): { batch: Shape; event: Shape } => {
    if (dist === null || typeof dist !== "object" || !("family" in dist)) {
      throw new ModelError("parameter", name, "expected a distribution such as m.normal(0, 1)");
    }
    const fam = dist.family;
    const shapes: Record<string, Shape> = {};
    for (const p of fam.params) {
      const t = dist.params[p];
      shapes[p] = math.shapeOf(t);
      const value = known(t);
      if (value !== undefined) checkDomainValues(name, `${fam.name} parameter ${p}`, fam.domains[p], value);
    }
    return fam.shapes(shapes, (message) => {
      throw new ShapeError(name, `${fam.name}: ${message}`);
    });
  };
  const dataSite = (name: string, value: Numeric): Tensor => {
    if (value === undefined) throw new DataError(name, "no value (undefined: is it missing from the data?)");
    const { values, shape } = numericToArray(value, name);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) throw new DataError(name, `data${values.length > 1 ? `[${i}]` : ""} is ${values[i]}`);
    }
    return handler.data(name, values, shape);
  };

  const sites = {
    sample(name: string, dist: Dist, opts?: SiteOptions): Tensor {
      claim(name);
      const { batch, event } = validateDist(name, dist);
      let batchShape = batch;
      if (opts?.shape !== undefined) {
        const plate = opts.shape;
        if (!plate.every((d) => Number.isInteger(d) && d >= 0)) throw new ShapeError(name, `bad shape ${showShape(plate)}`);
        const b = broadcastShapes([batch, plate], name, "the family's parameters and the site shape");
        if (!sameShape(b, plate))
          throw new ShapeError(name, `parameters of batch shape ${showShape(batch)} do not fit the site shape ${showShape(plate)}`);
        batchShape = plate;
      }
      const support = dist.family.support(dist.params);
      const type = opts?.transform ?? defaultTransformType(support);
      const mismatch = opts?.transform === undefined ? undefined : transformMismatch(support, type);
      if (mismatch !== undefined) throw new SupportError(name, mismatch);
      const bounds: Bounds<Tensor> = support.kind === "interval" ? { lower: support.lower, upper: support.upper } : {};
      const spec: { type: TransformType; lower?: number; upper?: number } = { type };
      for (const side of ["lower", "upper"] as const) {
        const b = bounds[side];
        const v = b === undefined ? undefined : known(b);
        if (v !== undefined && v.length === 1) spec[side] = v[0];
      }
      const site: SampleSite = {
        name,
        family: dist.family,
        params: dist.params,
        batchShape,
        eventShape: event,
        shape: [...batchShape, ...event],
        support,
        transform: getTransform(type),
        transformSpec: spec,
        bounds,
        reparam: opts?.reparam ?? "auto",
      };
      const value = handler.sample(site);
      siteValues.set(value, name);
      return value;
    },
    observe(name: string, dist: Dist, value: Operand): void {
      claim(name);
      const { batch, event } = validateDist(name, dist);
      if (value === undefined) throw new DataError(name, "no observed value (undefined: is it missing from the data?)");
      const v = typeof value === "number" || Array.isArray(value) ? dataSite(name, value as Numeric) : (value as Tensor);
      const shape = math.shapeOf(v);
      const valueBatch = shape.slice(0, shape.length - event.length);
      if (!sameShape(shape.slice(valueBatch.length), event)) {
        throw new ShapeError(name, `observed shape ${showShape(shape)} does not end with the event shape ${showShape(event)}`);
      }
      const b = broadcastShapes([batch, valueBatch], name, "the family's parameters and the observed value");
      if (!sameShape(b, valueBatch)) {
        throw new ShapeError(name, `parameters of batch shape ${showShape(batch)} do not fit the observed shape ${showShape(shape)}`);
      }
      const support = dist.family.support(dist.params);
      const values = known(v);
      if (values !== undefined) checkSupport(name, support, values, shape, known);
      handler.observe({ name, family: dist.family, params: dist.params, value: v, shape, batchShape: valueBatch });
    },
    data(name: string, value: Numeric): Tensor {
      claim(name);
      const t = dataSite(name, value);
      siteValues.set(t, name);
      return t;
    },
    deterministic(name: string, value: Tensor): Tensor {
      claim(name);
      const t = handler.deterministic(name, toTensor(value));
      siteValues.set(t, name);
      return t;
    },
    factor(name: string, logp: Operand): void {
      claim(name);
      const t = toTensor(logp);
      if (math.shapeOf(t).length !== 0) throw new ShapeError(name, `factor must be a scalar, got ${showShape(math.shapeOf(t))}`);
      handler.factor(name, t);
    },
  };
  const alg = Object.assign(Object.create(null), math, constructors(toTensor), sites) as ModelAlg;
  const reads = watchDataReads(data);
  let raw: O;
  try {
    raw = mdl.fn(alg, reads.data);
  } catch (e) {
    throw reads.explain(e);
  }
  if (raw === undefined || raw === null || typeof raw !== "object") {
    throw new ModelError("unsupported", undefined, "a model must return an object of named values (possibly empty)");
  }
  const outputs = Object.fromEntries(
    Object.entries(raw).map(([key, value]) => {
      const t = toTensor(value as Operand);
      return [key, siteValues.get(t) === key ? t : sites.deterministic(key, t)];
    }),
  );
  current = undefined;
  for (const layer of [...layers].reverse()) layer.finish?.();
  return { outputs: outputs as unknown as O, math };
}
