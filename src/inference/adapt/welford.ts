/**
 * Streaming estimates of the posterior variance (or covariance) of the
 * unconstrained draws, with Stan's regularization towards 1e-3 · I: the
 * metric part of warm-up, as `init`, `update`, `final` over plain state.
 * @module
 */

/** The state of a Welford estimator; plain arrays, so it checkpoints as JSON. */
export interface WelfordState {
  n: number;
  mean: number[];
  /**
   * Sums of squared deviations: the diagonal, or the d×d matrix by rows of
   * which only the upper triangle (row ≤ column) is kept, the lower one
   * being its mirror (read it with `sumsOfProducts`): half the work of
   * an update, which warm-up does four times per draw.
   */
  m2: number[];
}

/** Whether `s` estimates a full covariance: its m2 has d² entries (for d = 1 both forms are the same). */
function isDense(s: WelfordState): boolean {
  return s.m2.length > s.mean.length;
}

/** An empty estimator of a d-dimensional variance (`dense`: covariance). */
export function welfordInit(d: number, dense: boolean): WelfordState {
  return { n: 0, mean: new Array(d).fill(0), m2: new Array(dense ? d * d : d).fill(0) };
}

/** The deviations of a dense update from the old and from the new mean, kept between calls. */
let fromOld = new Float64Array(0);
let fromNew = new Float64Array(0);

/** Adds the draw q[at, at + d) (mutating `s`). */
export function welfordUpdate(s: WelfordState, q: ArrayLike<number>, at = 0): void {
  const { mean, m2 } = s;
  const d = mean.length;
  const n = ++s.n;
  if (!isDense(s)) {
    for (let i = 0; i < d; i++) {
      const delta = q[at + i] - mean[i];
      mean[i] += delta / n;
      m2[i] += delta * (q[at + i] - mean[i]);
    }
    return;
  }
  if (fromOld.length < d) {
    fromOld = new Float64Array(d);
    fromNew = new Float64Array(d);
  }
  for (let i = 0; i < d; i++) {
    fromOld[i] = q[at + i] - mean[i];
    mean[i] += fromOld[i] / n;
    fromNew[i] = q[at + i] - mean[i];
  }
  for (let i = 0; i < d; i++) {
    const a = fromOld[i];
    const row = i * d;
    for (let j = i; j < d; j++) m2[row + j] += a * fromNew[j];
  }
}

/** The sums of products of a dense estimator as the full symmetric d×d matrix by rows (its upper triangle mirrored). */
export function sumsOfProducts(s: WelfordState): Float64Array {
  const d = s.mean.length;
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) out[i * d + j] = out[j * d + i] = s.m2[i * d + j];
  }
  return out;
}

/**
 * The regularized estimate (n/(n+5)) Σ̂ + 1e-3 (5/(n+5)) I, Stan's
 * shrinkage: a short window cannot produce a singular metric.
 */
export function welfordFinal(s: WelfordState): Float64Array {
  const { n } = s;
  const d = s.mean.length;
  const w = n / (n + 5);
  const shrink = 1e-3 * (5 / (n + 5));
  const out = isDense(s) ? sumsOfProducts(s) : Float64Array.from(s.m2);
  for (let k = 0; k < out.length; k++) out[k] = (w * out[k]) / (n - 1);
  const step = isDense(s) ? d + 1 : 1;
  for (let i = 0; i < d; i++) out[i * step] += shrink;
  return out;
}
