/**
 * Pathfinder's options and CmdStan's defaults for its `pathfinder` method.
 * @module
 */
import type { EngineRunOptions } from "../engine.ts";
import type { LbfgsOptions } from "../optimize/lbfgs.ts";
import { PathfinderError } from "./errors.ts";

/**
 * Options of {@link pathfinder}. The L-BFGS tolerances (`initAlpha`,
 * `tolObj`, `tolRelObj`, `tolGrad`, `tolRelGrad`, `tolParam`) default to
 * L-BFGS's own, which are Stan's and also CmdStan's pathfinder defaults
 * (0.001, 1e-12, 1e4, 1e-8, 1e7, 1e-8).
 */
export interface PathfinderOptions extends EngineRunOptions, Omit<LbfgsOptions, "history" | "maxIterations"> {
  /** Seed: path k (1-based) draws from `new Rng(seed, k)`, the resampling from stream 0. */
  readonly seed: number;
  /** Number of paths (CmdStan's `num_paths`, 4). One path is single-path Pathfinder: no resampling. */
  readonly paths?: number;
  /** Draws after Pareto-smoothed importance resampling (`num_psis_draws`, 1000). */
  readonly draws?: number;
  /** Draws from each path's approximation (`num_draws`, 1000). */
  readonly drawsPerPath?: number;
  /** Monte-Carlo draws per ELBO estimate (`num_elbo_draws`, 25). */
  readonly elboDraws?: number;
  /** (s, y) pairs kept for L-BFGS and the inverse-Hessian estimate (`history_size`, 5). */
  readonly history?: number;
  /** L-BFGS iterations at most (`max_lbfgs_iters`, 1000). */
  readonly maxLbfgsIterations?: number;
  /** Resample the pooled draws of several paths by PSIS (`psis_resample`, true); else all are returned. */
  readonly psisResample?: boolean;
  /** Random initial points are uniform in (−initRadius, initRadius) (`init`, 2). */
  readonly initRadius?: number;
  /** Initial points on the unconstrained scale, one per path (instead of random ones). */
  readonly init?: readonly Float64Array[];
}

/** CmdStan's defaults for the options Pathfinder adds to L-BFGS's. */
export const PATHFINDER_DEFAULTS = {
  paths: 4,
  draws: 1000,
  drawsPerPath: 1000,
  elboDraws: 25,
  history: 5,
  maxLbfgsIterations: 1000,
  psisResample: true,
  initRadius: 2,
} as const;

/** The options with their defaults filled in. */
export type PathfinderSettings = PathfinderOptions & Required<Pick<PathfinderOptions, keyof typeof PATHFINDER_DEFAULTS>>;

/** Fills in the defaults and checks the counts; throws a {@link PathfinderError} naming a bad option. */
export function pathfinderSettings(opts: PathfinderOptions, dim: number): PathfinderSettings {
  const d = PATHFINDER_DEFAULTS;
  const s: PathfinderSettings = {
    ...opts,
    paths: opts.paths ?? d.paths,
    draws: opts.draws ?? d.draws,
    drawsPerPath: opts.drawsPerPath ?? d.drawsPerPath,
    elboDraws: opts.elboDraws ?? d.elboDraws,
    history: opts.history ?? d.history,
    maxLbfgsIterations: opts.maxLbfgsIterations ?? d.maxLbfgsIterations,
    psisResample: opts.psisResample ?? d.psisResample,
    initRadius: opts.initRadius ?? d.initRadius,
  };
  for (const key of ["paths", "draws", "drawsPerPath", "elboDraws", "history"] as const) {
    if (!Number.isInteger(s[key]) || s[key] < 1) throw new PathfinderError(`${key} must be a positive integer, got ${s[key]}`);
  }
  if (!Number.isInteger(s.maxLbfgsIterations) || s.maxLbfgsIterations < 0) {
    throw new PathfinderError(`maxLbfgsIterations must be a non-negative integer, got ${s.maxLbfgsIterations}`);
  }
  if (!(s.initRadius >= 0 && Number.isFinite(s.initRadius)))
    throw new PathfinderError(`initRadius must be finite and non-negative, got ${s.initRadius}`);
  if (s.init !== undefined) {
    if (s.init.length !== s.paths) throw new PathfinderError(`init must hold one point per path (${s.paths}), got ${s.init.length}`);
    const wrong = s.init.findIndex((x) => x.length !== dim);
    if (wrong >= 0) throw new PathfinderError(`init[${wrong}] has ${s.init[wrong].length} values, the density has dimension ${dim}`);
  }
  return s;
}
