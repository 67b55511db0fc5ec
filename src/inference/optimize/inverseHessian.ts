/**
 * The L-BFGS estimate of the inverse Hessian of f = −log p (Stan's
 * `LBFGSUpdate`; Nocedal & Wright 2006, Algorithm 7.4): the last `size`
 * pairs (s, y) of steps and gradient changes, and the scale γ = sᵀy / yᵀy
 * of the newest pair as the initial estimate γI, applied to a gradient by
 * the two-loop recursion.
 * @module
 */
import { dotArrays } from "../../numeric/dense.ts";

/** One curvature pair with ρ = 1 / sᵀy. */
interface Pair {
  readonly s: Float64Array;
  readonly y: Float64Array;
  readonly rho: number;
}

/** The pairs (oldest first) and the initial scale, mutated by {@link addPair}. */
export interface InverseHessian {
  /** Pairs kept at most. */
  readonly size: number;
  readonly pairs: Pair[];
  /** γ = sᵀy / yᵀy of the newest pair. */
  gamma: number;
}

/** An empty estimate keeping `size` pairs. */
export function inverseHessian(size: number): InverseHessian {
  return { size, pairs: [], gamma: 1 };
}

/**
 * Adds the pair (s, y), dropping the oldest beyond `size`. With `reset` the
 * history is cleared first and the return value is yᵀy / sᵀy, the scale of
 * the new initial Hessian estimate (L-BFGS rescales its step by it);
 * otherwise 1.
 */
export function addPair(h: InverseHessian, s: Float64Array, y: Float64Array, reset: boolean): number {
  const sy = dotArrays(s, y);
  const yy = dotArrays(y, y);
  if (reset) h.pairs.length = 0;
  h.gamma = sy / yy;
  h.pairs.push({ s, y, rho: 1 / sy });
  if (h.pairs.length > h.size) h.pairs.shift();
  return reset ? yy / sy : 1;
}

/**
 * The search direction −H∇f for the gradient `g` (the two-loop recursion).
 */
export function searchDirection(h: InverseHessian, g: Float64Array): Float64Array {
  const p = g.map((v) => -v);
  const alphas = new Float64Array(h.pairs.length);
  for (let k = h.pairs.length - 1; k >= 0; k--) {
    const { s, y, rho } = h.pairs[k];
    const a = rho * dotArrays(s, p);
    for (let i = 0; i < p.length; i++) p[i] -= a * y[i];
    alphas[k] = a;
  }
  for (let i = 0; i < p.length; i++) p[i] *= h.gamma;
  for (let k = 0; k < h.pairs.length; k++) {
    const { s, y, rho } = h.pairs[k];
    const b = rho * dotArrays(y, p);
    for (let i = 0; i < p.length; i++) p[i] += (alphas[k] - b) * s[i];
  }
  return p;
}
