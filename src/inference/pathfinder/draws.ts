/**
 * Draws from a normal approximation with log q and log p per draw: what
 * Pathfinder's ELBO estimate and its output are made of. One batch call
 * evaluates all draws when the density batches.
 * @module
 */
import type { BatchDensity } from "../../codegen/batch.ts";
import type { LogDensity } from "../../codegen/density.ts";
import type { Rng } from "../../random/rng.ts";
import type { NormalApproximation } from "./approximation.ts";

const LOG_2PI = Math.log(2 * Math.PI);

/** Draws from q with their log densities under q and p. */
export interface ApproxDraws {
  /** Number of draws. */
  readonly n: number;
  /** Row-major n × dim. */
  readonly points: Float64Array;
  /** log q per draw (Stan's `lp_approx__`). */
  readonly lpApprox: Float64Array;
  /** log p per draw (Stan's `lp__`); −∞ where the density failed. */
  readonly lp: Float64Array;
  /** Draws where log p was NaN, infinite or thrown (set to −∞). */
  readonly bad: number;
}

/**
 * `n` draws from `q` (standard normals from `rng`, draw by draw) with log q
 * and log p. A draw where the density throws or is not finite gets
 * log p = −∞ and is counted in `bad`, as Stan turns a domain error into −∞.
 */
export async function drawApprox(
  density: LogDensity & Partial<BatchDensity>,
  q: NormalApproximation,
  n: number,
  rng: Rng,
): Promise<ApproxDraws> {
  const d = q.mean.length;
  const points = new Float64Array(n * d);
  const lpApprox = new Float64Array(n);
  const u = new Float64Array(d);
  for (let j = 0; j < n; j++) {
    let uu = 0;
    for (let i = 0; i < d; i++) {
      u[i] = rng.normal();
      uu += u[i] * u[i];
    }
    q.draw(u, points.subarray(j * d, (j + 1) * d));
    lpApprox[j] = -q.logDetChol - 0.5 * (uu + d * LOG_2PI);
  }
  const lp = new Float64Array(n);
  if (density.logpGradBatch) await density.logpGradBatch(points, n, lp, new Float64Array(n * d));
  else {
    for (let j = 0; j < n; j++) {
      try {
        lp[j] = density.logp(points.subarray(j * d, (j + 1) * d));
      } catch {
        lp[j] = NaN;
      }
    }
  }
  let bad = 0;
  for (let j = 0; j < n; j++) {
    if (Number.isFinite(lp[j])) continue;
    lp[j] = -Infinity;
    bad++;
  }
  return { n, points, lpApprox, lp, bad };
}

/**
 * Stan's ELBO estimate: the mean of log p − log q over the draws; −∞ when
 * any draw failed (so that iterate is never chosen).
 */
export function elboOf(draws: ApproxDraws): number {
  if (draws.bad > 0) return -Infinity;
  let s = 0;
  for (let j = 0; j < draws.n; j++) s += draws.lp[j] - draws.lpApprox[j];
  return s / draws.n;
}
