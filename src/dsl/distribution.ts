/**
 * What a distribution family is: parameters, shapes, support, a log density
 * written once over the algebra, and a numeric sampler for the prior.
 * @module
 */
import type { Rng } from "../random/rng.ts";
import type { MathAlg } from "./math.ts";
import type { Shape } from "../tensor/shape.ts";
import type { Domain, Support } from "./support.ts";
import type { Rank, Tensor } from "./tensor.ts";

/** Parameters of a family, as tensors of the running interpreter. */
export type Params<P extends string = string> = { readonly [K in P]: Tensor };

/** A parameter's numeric value, for the prior sampler. */
export interface NumericParam {
  readonly values: Float64Array;
  readonly shape: Shape;
}

/** A distribution family (Normal, Gamma, Dirichlet, …). */
export interface Family<P extends string = string> {
  /** Name as Stan spells it (`normal`, `student_t`, `bernoulli_logit`). */
  readonly name: string;
  /** Parameter names, in the order the constructor takes them. */
  readonly params: readonly P[];
  /** Each parameter's domain, checked at build time when it is known. */
  readonly domains: { readonly [K in P]: Domain };
  /** Whether the values are integers. */
  readonly discrete: boolean;
  /** Location and scale parameters, for families that are location-scale. */
  readonly locScale?: { readonly loc: P; readonly scale: P };
  /**
   * Batch and event shape from the parameters' shapes, or a ShapeError
   * (thrown through `fail`).
   */
  shapes(p: { readonly [K in P]: Shape }, fail: (message: string) => never): { batch: Shape; event: Shape };
  /** The support, possibly depending on the parameters. */
  support(p: Params<P>): Support;
  /** Elementwise log density of `x`, of the batch shape (event dimensions summed). */
  logProb(m: MathAlg, x: Tensor, p: Params<P>): Tensor;
  /**
   * Draws of shape `[...batch, ...event]` (row-major), or absent for improper
   * families (Flat, HalfFlat), which have no prior sampler.
   */
  sample?(rng: Rng, p: { readonly [K in P]: NumericParam }, batch: Shape): Float64Array;
}

declare const distRank: unique symbol;

/** A family with its parameters, not yet attached to a site. */
export interface Dist<R extends Rank = Rank> {
  readonly family: Family;
  readonly params: Params;
  /** Phantom: the rank of one draw. */
  readonly [distRank]?: R;
}
