/**
 * Streaming estimates of the posterior variance (or covariance) of the
 * unconstrained draws, with Stan's regularization towards 1e-3 · I.
 * @module
 */

/** The state of a Welford estimator; plain arrays, so it checkpoints as JSON. */
export interface WelfordState {
  n: number;
  mean: number[];
  /** Sums of squared deviations: the diagonal, or the full matrix by rows. */
  m2: number[];
}

/** Welford's algorithm for a diagonal or dense covariance. */
export class Welford {
  state: WelfordState;

  constructor(
    readonly dim: number,
    readonly dense: boolean,
  ) {
    this.state = this.empty();
  }

  private empty(): WelfordState {
    return { n: 0, mean: new Array(this.dim).fill(0), m2: new Array(this.dense ? this.dim * this.dim : this.dim).fill(0) };
  }

  /** Forgets all samples (a fresh estimator per adaptation window). */
  restart(): void {
    this.state = this.empty();
  }

  /** Adds one draw. */
  add(q: ArrayLike<number>): void {
    const s = this.state;
    const d = this.dim;
    s.n++;
    const delta = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      delta[i] = q[i] - s.mean[i];
      s.mean[i] += delta[i] / s.n;
    }
    if (this.dense) {
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s.m2[i * d + j] += delta[i] * (q[j] - s.mean[j]);
    } else {
      for (let i = 0; i < d; i++) s.m2[i] += delta[i] * (q[i] - s.mean[i]);
    }
  }

  /**
   * The regularized estimate (n/(n+5)) Σ̂ + 1e-3 (5/(n+5)) I, Stan's
   * shrinkage: a short window cannot produce a singular metric.
   */
  estimate(): Float64Array {
    const { n, m2 } = this.state;
    const d = this.dim;
    const w = n / (n + 5);
    const shrink = 1e-3 * (5 / (n + 5));
    const out = Float64Array.from(m2, (v) => (w * v) / (n - 1));
    if (this.dense) for (let i = 0; i < d; i++) out[i * d + i] += shrink;
    else for (let i = 0; i < d; i++) out[i] += shrink;
    return out;
  }
}
