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
  /** Sums of squared deviations: the diagonal, or the full matrix by rows. */
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

/** The deviations from the old mean of a dense update, kept between calls (warm-up updates four estimators per iteration). */
let scratch = new Float64Array(0);

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
  if (scratch.length < d) scratch = new Float64Array(d);
  const delta = scratch;
  for (let i = 0; i < d; i++) {
    delta[i] = q[at + i] - mean[i];
    mean[i] += delta[i] / n;
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m2[i * d + j] += delta[i] * (q[at + j] - mean[j]);
}

/**
 * The regularized estimate (n/(n+5)) Σ̂ + 1e-3 (5/(n+5)) I, Stan's
 * shrinkage: a short window cannot produce a singular metric.
 */
export function welfordFinal(s: WelfordState): Float64Array {
  const { n, m2 } = s;
  const d = s.mean.length;
  const w = n / (n + 5);
  const shrink = 1e-3 * (5 / (n + 5));
  const out = Float64Array.from(m2, (v) => (w * v) / (n - 1));
  const step = isDense(s) ? d + 1 : 1;
  for (let i = 0; i < d; i++) out[i * step] += shrink;
  return out;
}
