/**
 * Multi-path Pathfinder (Zhang, Carpenter, Gelman & Vehtari 2022,
 * Algorithm 2; Stan's `pathfinder_lbfgs_multi`): independent single paths,
 * their draws pooled and resampled by Pareto-smoothed importance sampling
 * with log ratios lp__ − lp_approx__, reporting Pareto k̂.
 * @module
 */
import type { BatchDensity } from "../../codegen/batch.ts";
import type { LogDensity } from "../../codegen/density.ts";
import { Rng } from "../../random/rng.ts";
import { psis } from "../diagnostics/psis.ts";
import type { EngineDraws } from "../engine.ts";
import { PathfinderError } from "./errors.ts";
import { type PathfinderOptions, pathfinderSettings } from "./options.ts";
import type { PathResult } from "./result.ts";
import { singlePath } from "./single.ts";
import { turns } from "./turn.ts";

export type { PathfinderOptions } from "./options.ts";

/** What {@link pathfinder} returns. */
export interface PathfinderResult {
  /** The draws on the unconstrained scale, columns `lp_approx__` and `lp__`, as CmdStan's pathfinder.csv. */
  readonly draws: EngineDraws;
  /** Pareto k̂ of the importance ratios of the pooled draws; NaN when there was no resampling. */
  readonly khat: number;
  /** Every path, failed ones included (with their reason). */
  readonly paths: readonly PathResult[];
  /** Density evaluations over all paths. */
  readonly gradientEvaluations: number;
  /** Points where the density failed (NaN, ±∞ or a throw) and the run went on. */
  readonly recovered: number;
}

/**
 * Pathfinder as CmdStan runs it: `paths` single paths one after the other
 * (path k on `new Rng(seed, k)`; each path's ELBO draws in one
 * `logpGradBatch` call where the density batches), then, for more than one
 * path and `psisResample`, `draws` draws resampled with replacement from
 * the pooled draws by their Pareto-smoothed importance weights (stream 0).
 * One path, or no resampling, returns the pooled draws themselves, less
 * those where the density failed. Failed paths are dropped with their
 * reason; if all fail, a {@link PathfinderError}.
 */
export async function pathfinder(density: LogDensity & Partial<BatchDensity>, opts: PathfinderOptions): Promise<PathfinderResult> {
  const s = pathfinderSettings(opts, density.dim);
  const turn = turns(s.signal);
  const paths: PathResult[] = [];
  for (let k = 1; k <= s.paths; k++) paths.push(await singlePath(density, k, s, turn));
  const ok = paths.filter((p) => p.ok);
  if (ok.length === 0) {
    throw new PathfinderError(`all ${s.paths} paths failed: ${paths.map((p) => `path ${p.path}: ${p.reason}`).join("; ")}`, paths);
  }
  const pooled = pool(ok, density.dim);
  // Draws where the density failed have importance weight 0: drop them (PSIS takes finite ratios only).
  const { lp__: lp, lp_approx__: lpApprox } = pooled.columns;
  const finite: number[] = [];
  lp.forEach((v, j) => Number.isFinite(v) && finite.push(j));
  let draws: EngineDraws;
  let khat = NaN;
  if (s.paths > 1 && s.psisResample) {
    const smoothed = psis(finite.map((j) => lp[j] - lpApprox[j]));
    khat = smoothed.khat;
    draws = pick(
      pooled,
      resampleIndices(smoothed.logWeights, s.draws, new Rng(s.seed, 0)).map((i) => finite[i]),
    );
    s.onProgress?.({ phase: "psis", iter: 1, total: 1, metrics: { khat } });
  } else {
    draws = pick(pooled, finite);
  }
  return {
    draws,
    khat,
    paths,
    gradientEvaluations: paths.reduce((n, p) => n + p.gradientEvaluations, 0),
    recovered: paths.reduce((n, p) => n + p.recovered, 0),
  };
}

/** The paths' draws one after the other. */
function pool(paths: readonly PathResult[], d: number): EngineDraws {
  const n = paths.reduce((m, p) => m + p.draws.n, 0);
  const points = new Float64Array(n * d);
  const lpApprox = new Float64Array(n);
  const lp = new Float64Array(n);
  let j = 0;
  for (const p of paths) {
    points.set(p.draws.points, j * d);
    lpApprox.set(p.draws.columns.lp_approx__, j);
    lp.set(p.draws.columns.lp__, j);
    j += p.draws.n;
  }
  return { dim: d, n, points, columns: { lp_approx__: lpApprox, lp__: lp } };
}

/**
 * `n` indices drawn independently with probabilities exp(logWeights)
 * (normalized), as Stan's multinomial resampling: inverse CDF by bisection.
 */
export function resampleIndices(logWeights: ArrayLike<number>, n: number, rng: Rng): number[] {
  const cdf = new Float64Array(logWeights.length);
  let total = 0;
  for (let j = 0; j < cdf.length; j++) cdf[j] = total += Math.exp(logWeights[j]);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = rng.uniform() * total;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    out.push(lo);
  }
  return out;
}

/** The draws at `rows`, in that order. */
function pick(all: EngineDraws, rows: readonly number[]): EngineDraws {
  const d = all.dim;
  const points = new Float64Array(rows.length * d);
  const columns: Record<string, Float64Array> = {};
  for (const name of Object.keys(all.columns)) columns[name] = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    points.set(all.points.subarray(r * d, (r + 1) * d), i * d);
    for (const name of Object.keys(columns)) columns[name][i] = all.columns[name][r];
  });
  return { dim: d, n: rows.length, points, columns };
}
