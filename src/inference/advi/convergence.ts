/**
 * ADVI's convergence test, as Stan's `stochastic_gradient_ascent`: at every
 * ELBO evaluation, the relative change |(ELBO_prev − ELBO) / ELBO| joins a
 * circular buffer whose mean and median are compared with `tol_rel_obj`.
 * @module
 */

/** One ELBO evaluation and the relative changes it gave. */
export interface ElboRecord {
  readonly iter: number;
  readonly elbo: number;
  /** Mean of the buffered relative changes. */
  readonly relMean: number;
  /** Median of the buffered relative changes (Stan's: the upper one of an even count). */
  readonly relMedian: number;
}

/** The relative ELBO changes of the last few evaluations. */
export class ElboTrace {
  private readonly changes: number[] = [];
  // Stan starts from an ELBO of 0, so the first relative change is 1.
  private previous = 0;

  /** Keeps the last `capacity` changes: Stan's max(0.1 · maxIterations / evalElbo, 2), truncated. */
  constructor(private readonly capacity: number) {}

  /** Stan's buffer size for a run of `maxIterations` evaluated every `evalElbo`. */
  static capacityFor(maxIterations: number, evalElbo: number): number {
    return Math.trunc(Math.max((0.1 * maxIterations) / evalElbo, 2));
  }

  /** Records the ELBO at iteration `iter`. */
  record(iter: number, elbo: number): ElboRecord {
    this.changes.push(Math.abs((this.previous - elbo) / elbo));
    if (this.changes.length > this.capacity) this.changes.shift();
    this.previous = elbo;
    const relMean = this.changes.reduce((s, x) => s + x, 0) / this.changes.length;
    // Stan's circ_buff_median: the element at n/2 once sorted (not the mean of the middle two).
    const sorted = this.changes.toSorted((a, b) => a - b);
    return { iter, elbo, relMean, relMedian: sorted[Math.floor(sorted.length / 2)] };
  }
}

/** Stan's notes on an evaluation. */
export const NOTES = {
  mean: "MEAN ELBO CONVERGED",
  median: "MEDIAN ELBO CONVERGED",
  diverging: "MAY BE DIVERGING... INSPECT ELBO",
} as const;

/**
 * Stan's notes on evaluation `r` at tolerance `tol`: converged by the mean,
 * by the median, or (past 10 evaluations) a relative change above 0.5.
 */
export function notesOf(r: ElboRecord, tol: number, evalElbo: number): (typeof NOTES)[keyof typeof NOTES][] {
  const notes: (typeof NOTES)[keyof typeof NOTES][] = [];
  if (r.relMean < tol) notes.push(NOTES.mean);
  if (r.relMedian < tol) notes.push(NOTES.median);
  if (r.iter > 10 * evalElbo && (r.relMedian > 0.5 || r.relMean > 0.5)) notes.push(NOTES.diverging);
  return notes;
}
