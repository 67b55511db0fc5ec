/**
 * L-BFGS maximizing log p on ℝ^d, as Stan's `optimize` method runs it
 * (`stan/optimization/bfgs.hpp` with `LBFGSUpdate`): a strong-Wolfe line
 * search along the L-BFGS direction, the first step 0.001 along the
 * gradient and later initial steps from a cubic interpolation of the last,
 * a reset to steepest descent when the line search fails, and Stan's
 * defaults and convergence tests.
 * @module
 */
import type { LogDensity } from "../../codegen/density.ts";
import { dotArrays } from "../../numeric/dense.ts";
import type { EngineRunOptions } from "../engine.ts";
import { TERMINATION_MESSAGES, type Termination, convergenceTest, isConverged } from "./convergence.ts";
import { OptimizeError } from "./errors.ts";
import { addPair, inverseHessian, searchDirection } from "./inverseHessian.ts";
import { LINE_SEARCH, type LineSearchResult, cubicMinimizer, wolfeLineSearch } from "./lineSearch.ts";
import { type Objective, objective } from "./objective.ts";

/** L-BFGS's settings; each defaults to Stan's (see {@link LBFGS_DEFAULTS}). A tolerance of 0 turns its test off. */
export interface LbfgsOptions {
  /** (s, y) pairs kept for the inverse-Hessian estimate (`history_size`). */
  readonly history?: number;
  /** Accepted iterations at most (`iter`). */
  readonly maxIterations?: number;
  /** The first line search's initial step (`init_alpha`). */
  readonly initAlpha?: number;
  /** Convergence when log p changes by less than this (`tol_obj`). */
  readonly tolObj?: number;
  /** Convergence when the relative change in log p is below this many machine epsilons (`tol_rel_obj`). */
  readonly tolRelObj?: number;
  /** Convergence when the gradient's norm is below this (`tol_grad`). */
  readonly tolGrad?: number;
  /** Convergence when ∇ᵀH∇ / max(|log p|, 1) (H the inverse-Hessian estimate) is below this many machine epsilons (`tol_rel_grad`). */
  readonly tolRelGrad?: number;
  /** Convergence when the step's norm is below this (`tol_param`). */
  readonly tolParam?: number;
}

/** Stan's (and CmdStan's) defaults for `optimize algorithm=lbfgs`. */
export const LBFGS_DEFAULTS: Required<LbfgsOptions> = {
  history: 5,
  maxIterations: 2000,
  initAlpha: 0.001,
  tolObj: 1e-12,
  tolRelObj: 1e4,
  tolGrad: 1e-8,
  tolRelGrad: 1e7,
  tolParam: 1e-8,
};

/** A point of the optimization path. */
export interface LbfgsPoint {
  readonly x: Float64Array;
  readonly logp: number;
  /** ∇ log p at x. */
  readonly grad: Float64Array;
}

/** Where L-BFGS stopped (the point with the highest log p it found), and how. */
export interface LbfgsResult extends LbfgsPoint {
  /** Accepted iterations. */
  readonly iterations: number;
  /** Gradient evaluations, the initial point and the line searches' included. */
  readonly evaluations: number;
  /** A convergence test passed (false: the iteration limit, or the line search failed). */
  readonly converged: boolean;
  /** Stan's words, e.g. "Convergence detected: relative gradient magnitude is below tolerance". */
  readonly message: string;
  /** The initial point, then every accepted iterate (copies); log p increases along it. */
  readonly path: readonly LbfgsPoint[];
  /** Line-search trial points where the density threw or log p or its gradient was not finite. */
  readonly recovered: number;
}

/** The state carried from one iteration to the next, on f = −log p. */
interface Iterate {
  readonly x: Float64Array;
  readonly f: number;
  /** ∇f. */
  readonly g: Float64Array;
}

/** The last accepted step, for the next initial step: direction, step length and the iterate it left. */
interface LastStep {
  readonly from: Iterate;
  readonly p: Float64Array;
  readonly alpha: number;
}

/**
 * Maximizes log p from `x0` by L-BFGS. The initial point must have a finite
 * log p and gradient (else an {@link OptimizeError}); after that, a point
 * where the density throws or is not finite is a failed line-search trial
 * (counted in `recovered`). A line search that fails even from a reset to
 * steepest descent ends the run with `converged: false` and the best point.
 * `onProgress` hears `{ phase: "optimize", iter, total, metrics: { logp, gradNorm } }`
 * after each iteration; an aborted `signal` throws its reason between iterations.
 *
 * @example
 * ```ts
 * const r = lbfgs(density, new Float64Array(density.dim));
 * r.x;        // the mode on the unconstrained scale
 * r.message;  // "Convergence detected: relative gradient magnitude is below tolerance"
 * ```
 */
export function lbfgs(density: LogDensity, x0: Float64Array, opts: LbfgsOptions & EngineRunOptions = {}): LbfgsResult {
  const o = settings(opts);
  const d = density.dim;
  if (x0.length !== d) throw new OptimizeError(`lbfgs: the initial point has ${x0.length} values, the density has dimension ${d}`);
  let cur = start(density, x0);
  const obj = objective(density, 1);
  const h = inverseHessian(o.history);
  const path: LbfgsPoint[] = [pointOf(cur)];
  let p: Float64Array = cur.g.map((v) => -v);
  let last: LastStep | undefined;
  let iter = 0;
  let ending: Termination | undefined = o.maxIterations === 0 ? "maxIterations" : undefined;
  while (ending === undefined) {
    opts.signal?.throwIfAborted();
    // The first iteration starts from steepest descent; a failed search is retried once from it (a reset).
    let step = searchStep(obj, cur, p, last, o.initAlpha, last === undefined);
    if (!step.ls.ok && !step.reset) step = searchStep(obj, cur, p, last, o.initAlpha, true);
    const { ls, reset, x: xNew, g: gNew } = step;
    p = step.p;
    if (!ls.ok) {
      ending = "lineSearch";
      break;
    }
    iter++;
    const next: Iterate = { x: xNew, f: ls.f, g: gNew };
    const s = xNew.map((v, i) => v - cur.x[i]);
    const y = gNew.map((v, i) => v - cur.g[i]);
    // After a reset Stan rescales the last step to the new initial Hessian estimate (αp unchanged).
    const scale = addPair(h, s, y, reset);
    last = { from: cur, p: p.map((v) => v / scale), alpha: ls.alpha * scale };
    cur = next;
    p = searchDirection(h, cur.g);
    path.push(pointOf(cur));
    const gradNorm = Math.sqrt(dotArrays(cur.g, cur.g));
    opts.onProgress?.({ phase: "optimize", iter, total: o.maxIterations, metrics: { logp: -cur.f, gradNorm } });
    ending = convergenceTest(
      { iter, fPrev: last.from.f, f: cur.f, gradNorm, stepNorm: Math.sqrt(dotArrays(s, s)), gradHGrad: -dotArrays(p, cur.g) },
      o,
    );
  }
  return {
    ...pointOf(cur),
    iterations: iter,
    evaluations: obj.evaluations,
    converged: isConverged(ending),
    message: TERMINATION_MESSAGES[ending],
    path,
    recovered: obj.recovered,
  };
}

/** One line search of an iteration: its direction, whether it was a reset, where it ended. */
interface SearchStep {
  readonly p: Float64Array;
  readonly reset: boolean;
  readonly ls: LineSearchResult;
  /** The new point and its gradient when `ls.ok`. */
  readonly x: Float64Array;
  readonly g: Float64Array;
}

/**
 * A line search from `cur` along `p`, or, on a reset, along steepest
 * descent from Stan's `initAlpha`; otherwise the initial step is
 * interpolated from the last one.
 */
function searchStep(
  obj: Objective,
  cur: Iterate,
  p: Float64Array,
  last: LastStep | undefined,
  initAlpha: number,
  reset: boolean,
): SearchStep {
  const dir = reset ? cur.g.map((v) => -v) : p;
  const alpha0 = last === undefined || reset ? initAlpha : initialStep(cur, last);
  const x = new Float64Array(cur.x.length);
  const g = new Float64Array(cur.x.length);
  return { p: dir, reset, ls: wolfeLineSearch(obj, cur.x, cur.f, cur.g, dir, alpha0, x, g), x, g };
}

/**
 * Stan's initial step after the first iteration: 1.01 times the minimizer
 * on [minAlpha, 1] of the cubic through the last step's values and slopes
 * along its direction, at most 1.
 */
function initialStep(cur: Iterate, last: LastStep): number {
  const a = cubicMinimizer(
    dotArrays(last.from.g, last.p),
    last.alpha,
    cur.f - last.from.f,
    dotArrays(cur.g, last.p),
    LINE_SEARCH.minAlpha,
    1,
  );
  return Math.min(1, 1.01 * a);
}

/** The initial iterate; an {@link OptimizeError} naming what is not finite there. */
function start(density: LogDensity, x0: Float64Array): Iterate {
  const x = Float64Array.from(x0);
  const g = new Float64Array(density.dim);
  let lp: number;
  try {
    lp = density.logpGrad(x, g);
  } catch (e) {
    throw new OptimizeError(`lbfgs: the log density threw at the initial point: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!Number.isFinite(lp)) throw new OptimizeError(`lbfgs: the log density is ${lp} at the initial point`);
  const bad = g.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new OptimizeError(`lbfgs: the gradient of the log density is ${g[bad]} in coordinate ${bad} at the initial point`);
  return { x, f: -lp, g: g.map((v) => -v) };
}

/** A copy of an iterate as a path point on the log p scale. */
function pointOf(it: Iterate): LbfgsPoint {
  return { x: Float64Array.from(it.x), logp: -it.f, grad: it.g.map((v) => -v) };
}

/** The options with Stan's defaults filled in; an {@link OptimizeError} naming a bad one. */
function settings(opts: LbfgsOptions): Required<LbfgsOptions> {
  const o = { ...LBFGS_DEFAULTS };
  for (const key of Object.keys(LBFGS_DEFAULTS) as (keyof LbfgsOptions)[]) if (opts[key] !== undefined) o[key] = opts[key];
  if (!Number.isInteger(o.history) || o.history < 1) throw new OptimizeError(`lbfgs: history must be a positive integer, got ${o.history}`);
  if (!Number.isInteger(o.maxIterations) || o.maxIterations < 0) {
    throw new OptimizeError(`lbfgs: maxIterations must be a non-negative integer, got ${o.maxIterations}`);
  }
  if (!(o.initAlpha > 0 && Number.isFinite(o.initAlpha)))
    throw new OptimizeError(`lbfgs: initAlpha must be positive and finite, got ${o.initAlpha}`);
  for (const key of ["tolObj", "tolRelObj", "tolGrad", "tolRelGrad", "tolParam"] as const) {
    if (!(o[key] >= 0)) throw new OptimizeError(`lbfgs: ${key} must be non-negative, got ${o[key]}`);
  }
  return o;
}
