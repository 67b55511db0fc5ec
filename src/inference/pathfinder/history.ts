/**
 * The curvature history Pathfinder keeps along the L-BFGS path: the last
 * `size` (s, y) pairs that pass Stan's curvature check and the diagonal of
 * the initial inverse Hessian, updated as in Zhang et al. (2022), eq. 4.9 of
 * Gilbert & Lemaréchal (1989). s is the step in θ, y the change in the
 * gradient of −log p (positive curvature along s).
 * @module
 */

/** Pairs (oldest first) and the current diagonal α, mutated by {@link updateHistory}. */
export interface CurvatureHistory {
  readonly s: Float64Array[];
  readonly y: Float64Array[];
  /** The diagonal of the initial inverse-Hessian estimate; ones at the start. */
  readonly alpha: Float64Array;
}

/** Stan's bound on yᵀy / yᵀs: pairs with a larger (or non-positive) curvature ratio are skipped. */
export const MAX_CURVATURE = 1e12;

/** An empty history in dimension `dim` (α = 1). */
export function newHistory(dim: number): CurvatureHistory {
  return { s: [], y: [], alpha: new Float64Array(dim).fill(1) };
}

/**
 * Stan's `check_curve`: yᵀs > 0 and yᵀy / yᵀs ≤ {@link MAX_CURVATURE}.
 * Stricter than the paper's yᵀs > ε‖y‖² (ε = 2.2e-16), and it also rejects
 * NaN.
 */
export function curvatureOk(s: Float64Array, y: Float64Array): boolean {
  let ys = 0;
  let yy = 0;
  for (let i = 0; i < s.length; i++) {
    ys += y[i] * s[i];
    yy += y[i] * y[i];
  }
  return ys > 0 && Math.abs(yy / ys) <= MAX_CURVATURE;
}

/**
 * Adds the pair (s, y) if it passes {@link curvatureOk}: α takes the
 * Gilbert–Lemaréchal diagonal update and the pair joins the history,
 * dropping the oldest beyond `size`. Returns whether the pair was kept.
 *
 * Stan updates α only for pairs that pass but keeps every pair in the
 * history; the paper (Algorithm 1) skips failing pairs altogether, which
 * keeps the inverse-Hessian estimate positive definite. We follow the paper.
 */
export function updateHistory(h: CurvatureHistory, s: Float64Array, y: Float64Array, size: number): boolean {
  if (!curvatureOk(s, y)) return false;
  const a = h.alpha;
  let yay = 0;
  let ys = 0;
  let sas = 0;
  for (let i = 0; i < a.length; i++) {
    yay += y[i] * a[i] * y[i];
    ys += y[i] * s[i];
    sas += (s[i] * s[i]) / a[i];
  }
  for (let i = 0; i < a.length; i++) a[i] = ys / (yay / a[i] + y[i] * y[i] - (yay / sas) * (s[i] / a[i]) ** 2);
  h.s.push(s);
  h.y.push(y);
  if (h.s.length > size) {
    h.s.shift();
    h.y.shift();
  }
  return true;
}
