/**
 * Statistics of the particle cloud, per coordinate: the weighted variance
 * that sets the mutation's diagonal metric, and the correlation between
 * the particles' positions before and after mutation that decides when
 * they have moved enough.
 * @module
 */

/**
 * Writes into `out` the variance of each of the d coordinates of the n
 * points (row-major) under normalized `weights` (zero weights skipped, so
 * a dropped particle's coordinates never matter). A coordinate whose
 * variance is not positive and finite (one distinct particle) keeps its
 * value in `out`.
 *
 * @example
 * ```ts
 * const points = Float64Array.of(0, 10, 4, 10); // n = 2 particles, (0, 10) and (4, 10); d = 2
 * const inv = new Float64Array(2).fill(1);
 * weightedVariance(points, Float64Array.of(0.5, 0.5), 2, 2, inv); // inv = [4, 1]: no spread in the second coordinate, so it keeps 1
 * ```
 */
export function weightedVariance(points: Float64Array, weights: Float64Array, n: number, d: number, out: Float64Array): void {
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) if (weights[i] > 0) mean += weights[i] * points[i * d + j];
    let v = 0;
    for (let i = 0; i < n; i++) if (weights[i] > 0) v += weights[i] * (points[i * d + j] - mean) ** 2;
    if (v > 0 && Number.isFinite(v)) out[j] = v;
  }
}

/**
 * Pearson's correlation across the n particles between coordinate j of
 * `a` and of `b` (row-major n × d), for each j into `out`; 1 where either
 * side has no spread (nothing has decorrelated).
 *
 * @example
 * ```ts
 * const before = Float64Array.of(1, 2, 3); // n = 3 particles, d = 1
 * const after = Float64Array.of(2, 4, 7);
 * const corr = new Float64Array(1);
 * correlations(before, after, 3, 1, corr); // corr[0] ≈ 0.99
 * ```
 */
export function correlations(a: Float64Array, b: Float64Array, n: number, d: number, out: Float64Array): void {
  for (let j = 0; j < d; j++) {
    let ma = 0;
    let mb = 0;
    for (let i = 0; i < n; i++) {
      ma += a[i * d + j];
      mb += b[i * d + j];
    }
    ma /= n;
    mb /= n;
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (let i = 0; i < n; i++) {
      const x = a[i * d + j] - ma;
      const y = b[i * d + j] - mb;
      sab += x * y;
      saa += x * x;
      sbb += y * y;
    }
    const r = sab / Math.sqrt(saa * sbb);
    out[j] = Number.isFinite(r) ? r : 1;
  }
}
