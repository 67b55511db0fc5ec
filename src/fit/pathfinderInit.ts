/**
 * `init: "pathfinder"` for NUTS: a multi-path Pathfinder run on the density
 * the chains will sample gives each chain its own starting point (distinct
 * draws of the importance-resampled approximation) and warm-up its initial
 * diagonal metric (the draws' variances), in place of random points in
 * (−2, 2) and the unit metric.
 * @module
 */
import type { LogDensity } from "../codegen/density.ts";
import { pathfinder } from "../inference/pathfinder/pathfinder.ts";

/** What a Pathfinder run gives NUTS chains to start from. */
export interface PathfinderStart {
  /** One unconstrained point per chain. */
  readonly initPoints: number[][];
  /** The initial inverse metric's diagonal. */
  readonly initInvMetric: number[];
  /** Gradient evaluations Pathfinder spent (to weigh against the warm-up it saves). */
  readonly initGradients: number;
}

/**
 * Pathfinder's seed, derived from the run's: path k on stream k of the
 * run's own seed would reuse chain k's random numbers.
 */
function pathfinderSeed(seed: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ 0x7f4a7c15) >>> 0;
}

/** Runs Pathfinder on `density` and picks `chains` starting points and the initial metric. */
export async function pathfinderStart(density: LogDensity, chains: number, seed: number, signal?: AbortSignal): Promise<PathfinderStart> {
  const r = await pathfinder(density, { seed: pathfinderSeed(seed), draws: Math.max(1000, chains), signal });
  const { n, dim, points } = r.draws;
  const mean = new Float64Array(dim);
  const variance = new Float64Array(dim);
  for (let t = 0; t < n; t++) for (let i = 0; i < dim; i++) mean[i] += points[t * dim + i] / n;
  for (let t = 0; t < n; t++) for (let i = 0; i < dim; i++) variance[i] += (points[t * dim + i] - mean[i]) ** 2 / (n - 1);
  // Importance resampling repeats draws: spread the chains over the draws so that they start apart.
  const step = Math.max(1, Math.floor(n / chains));
  const initPoints = Array.from({ length: chains }, (_, k) => Array.from(points.subarray(k * step * dim, (k * step + 1) * dim)));
  // A coordinate the draws did not move in would get a zero variance: fall back to the unit metric there.
  const initInvMetric = Array.from(variance, (v) => (Number.isFinite(v) && v > 0 ? v : 1));
  return { initPoints, initInvMetric, initGradients: r.gradientEvaluations };
}
