/**
 * Where an iteration sits in a chain's stream. A run thinned by `thin`
 * streams every `thin`-th iteration of warm-up and of sampling (iterations
 * 1, 1 + thin, … and warmup + 1, warmup + 1 + thin, …); traces are kept by
 * position in that stream, so thinning leaves no holes.
 * @module
 */

/** The 1-based position of streamed iteration `iter`. */
export function streamPosition(iter: number, warmup: number, thin: number): number {
  return iter <= warmup ? (iter - 1) / thin + 1 : Math.ceil(warmup / thin) + (iter - warmup - 1) / thin + 1;
}

/** The iteration at 1-based stream position `position` (the inverse of {@link streamPosition}). */
export function iterationAt(position: number, warmup: number, thin: number): number {
  const warmupPositions = Math.ceil(warmup / thin);
  return position <= warmupPositions ? (position - 1) * thin + 1 : warmup + (position - warmupPositions - 1) * thin + 1;
}
