/**
 * How L-BFGS stops: Stan's convergence tests (`BFGSMinimizer::step`), in
 * Stan's order, and Stan's words for each ending.
 * @module
 */

/** Why L-BFGS stopped, one tag per Stan termination code. */
export type Termination = "absObj" | "absGrad" | "absParam" | "maxIterations" | "relObj" | "relGrad" | "lineSearch";

/** Stan's message for each ending (`get_code_string`). */
export const TERMINATION_MESSAGES: Readonly<Record<Termination, string>> = {
  absObj: "Convergence detected: absolute change in objective function was below tolerance",
  relObj: "Convergence detected: relative change in objective function was below tolerance",
  absGrad: "Convergence detected: gradient norm is below tolerance",
  relGrad: "Convergence detected: relative gradient magnitude is below tolerance",
  absParam: "Convergence detected: absolute parameter change was below tolerance",
  maxIterations: "Maximum number of iterations hit, may not be at an optima",
  lineSearch: "Line search failed to achieve a sufficient decrease, no more progress can be made",
};

/** Whether an ending is a passed convergence test. */
export function isConverged(t: Termination): boolean {
  return t !== "maxIterations" && t !== "lineSearch";
}

/** The tolerances of the tests; a tolerance of 0 turns its test off (every test is a strict `<`). */
export interface Tolerances {
  readonly maxIterations: number;
  readonly tolObj: number;
  readonly tolRelObj: number;
  readonly tolGrad: number;
  readonly tolRelGrad: number;
  readonly tolParam: number;
}

/** What the tests look at after an accepted step, on f = −log p. */
export interface StepFigures {
  /** Accepted iterations so far. */
  readonly iter: number;
  /** f before and after the step. */
  readonly fPrev: number;
  readonly f: number;
  /** ‖∇f‖ after the step. */
  readonly gradNorm: number;
  /** ‖Δx‖ of the step. */
  readonly stepNorm: number;
  /** ∇fᵀ H ∇f after the step, H the updated inverse-Hessian estimate (−pᵀ∇f for the next direction p). */
  readonly gradHGrad: number;
}

/**
 * Stan's tests after an accepted step, first match wins: |Δf| < tolObj;
 * ‖∇f‖ < tolGrad; ‖Δx‖ < tolParam; the iteration limit; |Δf| / max(|f_prev|,
 * |f|, 1) < tolRelObj·ε; ∇fᵀH∇f / max(|f|, 1) < tolRelGrad·ε (ε the machine
 * epsilon). Undefined: go on.
 */
export function convergenceTest(s: StepFigures, tol: Tolerances): Termination | undefined {
  const eps = Number.EPSILON;
  const change = Math.abs(s.fPrev - s.f);
  if (change < tol.tolObj) return "absObj";
  if (s.gradNorm < tol.tolGrad) return "absGrad";
  if (s.stepNorm < tol.tolParam) return "absParam";
  if (s.iter >= tol.maxIterations) return "maxIterations";
  if (change / Math.max(Math.abs(s.fPrev), Math.abs(s.f), 1) < tol.tolRelObj * eps) return "relObj";
  if (s.gradHGrad / Math.max(Math.abs(s.f), 1) < tol.tolRelGrad * eps) return "relGrad";
  return undefined;
}
