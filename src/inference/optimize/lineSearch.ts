/**
 * Stan's line search (`stan/optimization/bfgs_linesearch.hpp`, after
 * Nocedal & Wright 2006, Algorithms 3.5 and 3.6): a step α along a descent
 * direction p satisfying the strong Wolfe conditions
 *   f(x + αp) ≤ f(x) + c₁ α pᵀ∇f(x)   and   |pᵀ∇f(x + αp)| ≤ c₂ |pᵀ∇f(x)|,
 * by expanding α tenfold until the minimum is bracketed, then zooming in
 * with safeguarded cubic interpolation. A trial point where the objective
 * fails is a failed trial: the step shrinks, the search goes on.
 * @module
 */
import { dotArrays } from "../../numeric/dense.ts";
import type { Objective } from "./objective.ts";

/** The line search's constants, Stan's `LSOptions`. */
export const LINE_SEARCH = {
  /** Sufficient decrease. */
  c1: 1e-4,
  /** Curvature (strong Wolfe). */
  c2: 0.9,
  /** The smallest step: the lower end of the first bracket and of the initial-step interpolation. */
  minAlpha: 1e-12,
  /** Expansions of the step before giving up. */
  maxIterations: 20,
  /** Consecutive failed trials (the step halved each time) before giving up. */
  maxRestarts: 10,
  /** A zoom bracket narrower than this has collapsed. */
  minRange: 1e-16,
} as const;

/** How a line search ended: the step and f there (the point and its gradient are in the caller's buffers). */
export interface LineSearchResult {
  /** Whether a step satisfying the strong Wolfe conditions was found. */
  readonly ok: boolean;
  /** The accepted step. */
  readonly alpha: number;
  /** f at x + αp. */
  readonly f: number;
}

const FAILED: LineSearchResult = { ok: false, alpha: NaN, f: NaN };

/** A line along p from x: evaluates f and its slope pᵀ∇f at x + αp into the output buffers. */
interface Line {
  readonly obj: Objective;
  readonly x: Float64Array;
  readonly p: Float64Array;
  readonly xOut: Float64Array;
  readonly gOut: Float64Array;
}

/** f at x + αp (undefined if the objective failed there), its point and gradient left in the line's buffers. */
function at(line: Line, alpha: number): number | undefined {
  const { x, p, xOut } = line;
  for (let i = 0; i < x.length; i++) xOut[i] = x[i] + alpha * p[i];
  return line.obj.evaluate(xOut, line.gOut);
}

/**
 * Searches along `p` from `x` (where f is `f0` and the gradient `g0`),
 * starting with step `alpha`, for a step satisfying the strong Wolfe
 * conditions. On success `xOut` holds x + αp and `gOut` its gradient.
 *
 * Stan tests sufficient decrease during the expansion phase at the initial
 * step rather than at the trial step; we test it at the trial step, as the
 * strong Wolfe conditions (and Nocedal & Wright) state it.
 */
export function wolfeLineSearch(
  obj: Objective,
  x: Float64Array,
  f0: number,
  g0: Float64Array,
  p: Float64Array,
  alpha: number,
  xOut: Float64Array,
  gOut: Float64Array,
): LineSearchResult {
  const { c1, c2, minAlpha, maxIterations, maxRestarts } = LINE_SEARCH;
  const line: Line = { obj, x, p, xOut, gOut };
  const slope0 = dotArrays(g0, p);
  const wolfe: Wolfe = { f0, decrease: c1 * slope0, curvature: -c2 * slope0 };
  let prev: Trial = { alpha: minAlpha, f: f0, slope: slope0 };
  let trial = alpha;
  let restarts = 0;
  for (let it = 0; it < maxIterations;) {
    const f = at(line, trial);
    if (f === undefined) {
      if (restarts++ >= maxRestarts) return FAILED;
      trial = 0.5 * (prev.alpha + trial);
      continue;
    }
    restarts = 0;
    const cur: Trial = { alpha: trial, f, slope: dotArrays(gOut, p) };
    if (f > f0 + trial * wolfe.decrease || (it > 0 && f >= prev.f)) return zoom(line, wolfe, prev, cur);
    if (Math.abs(cur.slope) <= wolfe.curvature) return { ok: true, alpha: trial, f };
    if (cur.slope >= 0) return zoom(line, wolfe, cur, prev);
    prev = cur;
    trial *= 10;
    it++;
  }
  return FAILED;
}

/** A trial step: α, f at x + αp and the slope pᵀ∇f there. */
interface Trial {
  readonly alpha: number;
  readonly f: number;
  readonly slope: number;
}

/** The Wolfe thresholds: f(x), c₁ pᵀ∇f(x) and c₂ |pᵀ∇f(x)|. */
interface Wolfe {
  readonly f0: number;
  readonly decrease: number;
  readonly curvature: number;
}

/**
 * Stan's `WolfLSZoom`: narrows the bracket [lo, hi] (lo the end with the
 * lower f that satisfies sufficient decrease) until a step satisfies both
 * conditions. Trials come from the cubic through both ends' values and
 * slopes, kept 1 % inside the bracket, with a bisection every fifth
 * trial; a failed trial moves halfway towards the bracket's lower end.
 */
function zoom(line: Line, wolfe: Wolfe, lo: Trial, hi: Trial): LineSearchResult {
  const { minRange } = LINE_SEARCH;
  for (let it = 1; ; it++) {
    const width = Math.abs(lo.alpha - hi.alpha);
    if (width < minRange) return FAILED;
    let alpha = it % 5 === 0 ? 0.5 * (lo.alpha + hi.alpha) : cubicStep(lo, hi);
    if (!(alpha >= Math.min(lo.alpha, hi.alpha) + 0.01 * width && alpha <= Math.max(lo.alpha, hi.alpha) - 0.01 * width)) {
      alpha = 0.5 * (lo.alpha + hi.alpha);
    }
    // A bracket at the resolution of doubles cannot narrow further.
    if (alpha === lo.alpha || alpha === hi.alpha) return FAILED;
    let f = at(line, alpha);
    while (f === undefined) {
      const low = Math.min(lo.alpha, hi.alpha);
      const next = 0.5 * (alpha + low);
      if (Math.abs(low - next) < minRange || next === alpha) return FAILED;
      alpha = next;
      f = at(line, alpha);
    }
    const cur: Trial = { alpha, f, slope: dotArrays(line.gOut, line.p) };
    if (f > wolfe.f0 + alpha * wolfe.decrease || f >= lo.f) {
      hi = cur;
    } else {
      if (Math.abs(cur.slope) <= wolfe.curvature) return { ok: true, alpha, f };
      if (cur.slope * (hi.alpha - lo.alpha) >= 0) hi = lo;
      lo = cur;
    }
  }
}

/** The minimizer of the cubic through both ends' values and slopes (Nocedal & Wright eq. 3.59); NaN if it has none. */
function cubicStep(lo: Trial, hi: Trial): number {
  const d1 = lo.slope + hi.slope - (3 * (lo.f - hi.f)) / (lo.alpha - hi.alpha);
  const d2 = Math.sign(hi.alpha - lo.alpha) * Math.sqrt(d1 * d1 - lo.slope * hi.slope);
  return hi.alpha - ((hi.alpha - lo.alpha) * (hi.slope + d2 - d1)) / (hi.slope - lo.slope + 2 * d2);
}

/**
 * Stan's `CubicInterp`: the minimizer on [lo, hi] of the cubic c through
 * c(0) = 0, c′(0) = `slope0`, c(`x1`) = `f1`, c′(`x1`) = `slope1`, its
 * ends included. L-BFGS takes its initial step from it.
 *
 * @example
 * ```ts
 * cubicMinimizer(-1, 1, -0.5, 0, 0, 2); // the cubic's minimum in [0, 2]
 * ```
 */
export function cubicMinimizer(slope0: number, x1: number, f1: number, slope1: number, lo: number, hi: number): number {
  const c3 = (-12 * f1 + 6 * x1 * (slope0 + slope1)) / (x1 * x1 * x1);
  const c2 = -(4 * slope0 + 2 * slope1) / x1 + (6 * f1) / (x1 * x1);
  const c1 = slope0;
  const value = (s: number) => s * ((s * ((s * c3) / 3 + c2)) / 2 + c1);
  // The roots of c′(s) = c3 s²/2 + c2 s + c1 without cancellation (Stan writes −(c2 ± t)/c3), so that a
  // quadratic (c3 = 0) still yields its minimum −c1/c2; NaN roots (none real) fail the bracket test.
  const q = -(c2 + (c2 < 0 ? -1 : 1) * Math.sqrt(c2 * c2 - 2 * c1 * c3));
  let best = value(lo) <= value(hi) ? lo : hi;
  for (const s of [q / c3, (2 * c1) / q]) if (lo < s && s < hi && value(s) < value(best)) best = s;
  return best;
}
