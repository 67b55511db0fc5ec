/**
 * Single-path Pathfinder (Zhang, Carpenter, Gelman & Vehtari 2022,
 * Algorithm 1; Stan's `pathfinder_lbfgs_single`): L-BFGS from an initial
 * point, the normal approximation at every iterate along its path, an ELBO
 * estimate for each, and draws from the best.
 * @module
 */
import type { BatchDensity } from "../../codegen/batch.ts";
import type { LogDensity } from "../../codegen/density.ts";
import { Rng } from "../../random/rng.ts";
import { INIT_TRIES } from "../chain.ts";
import type { EngineDraws, EngineRunOptions } from "../engine.ts";
import { lbfgs, type LbfgsOptions, type LbfgsResult } from "../optimize/lbfgs.ts";
import { type NormalApproximation, normalApproximation } from "./approximation.ts";
import { type ApproxDraws, drawApprox, elboOf } from "./draws.ts";
import { newHistory, updateHistory } from "./history.ts";
import type { PathfinderSettings } from "./options.ts";
import type { PathResult } from "./result.ts";

/** The iterate chosen so far. */
interface Best {
  readonly iter: number;
  readonly elbo: number;
  readonly q: NormalApproximation;
  readonly draws: ApproxDraws;
}

/**
 * Runs path `k` (1-based) on `new Rng(seed, k)`: initial point, L-BFGS,
 * ELBO at each iterate (Stan evaluates every iterate after the initial
 * point), draws from the best. A path that cannot start, or whose iterates
 * all have a non-finite ELBO, comes back with `ok: false` and a reason;
 * only an abort throws.
 */
export async function singlePath(
  density: LogDensity & Partial<BatchDensity>,
  k: number,
  s: PathfinderSettings,
  turn: () => Promise<void>,
): Promise<PathResult> {
  const d = density.dim;
  const rng = new Rng(s.seed, k);
  const start = initialPoint(density, rng, s, k);
  let evaluations = start.evaluations;
  let recovered = 0;
  const fail = (reason: string, run?: LbfgsResult): PathResult => failedPath(k, d, reason, run, evaluations, recovered);
  if (start.x0 === undefined) return fail(start.reason);
  let run: LbfgsResult;
  try {
    run = lbfgs(density, start.x0, lbfgsOptions(s));
  } catch (e) {
    s.signal?.throwIfAborted();
    return fail(`L-BFGS failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  evaluations += run.evaluations;
  recovered += run.recovered;
  const path = run.path;
  if (path.length < 2) return fail(`L-BFGS took no step from the initial point (${run.message})`, run);

  const h = newHistory(d);
  let best: Best | undefined;
  for (let i = 1; i < path.length; i++) {
    await turn();
    const prev = path[i - 1];
    const cur = path[i];
    // y is the change in the gradient of −log p; the path holds ∇ log p.
    const step = cur.x.map((x, j) => x - prev.x[j]);
    const dGrad = prev.grad.map((g, j) => g - cur.grad[j]);
    updateHistory(h, step, dGrad, s.history);
    const q = normalApproximation(
      cur.x,
      cur.grad.map((g) => -g),
      h,
    );
    let elbo = -Infinity;
    if (q !== undefined) {
      const draws = await drawApprox(density, q, s.elboDraws, rng);
      evaluations += draws.n;
      recovered += draws.bad;
      elbo = elboOf(draws);
      if (elbo > (best?.elbo ?? -Infinity)) best = { iter: i, elbo, q, draws };
    }
    s.onProgress?.({ phase: `path ${k}`, iter: i, total: path.length - 1, metrics: { logp: cur.logp, elbo } });
  }
  if (best === undefined) return fail("no iterate of L-BFGS gave a finite ELBO", run);

  // Stan's output: the best iterate's ELBO draws, then new draws up to drawsPerPath.
  const extra = s.drawsPerPath > best.draws.n ? await drawApprox(density, best.q, s.drawsPerPath - best.draws.n, rng) : undefined;
  if (extra !== undefined) {
    evaluations += extra.n;
    recovered += extra.bad;
  }
  return {
    path: k,
    ok: true,
    bestIteration: best.iter,
    elbo: best.elbo,
    lbfgsIterations: run.iterations,
    lbfgsConverged: run.converged,
    lbfgsMessage: run.message,
    mean: best.q.mean,
    variance: best.q.variance,
    draws: engineDraws(d, s.drawsPerPath, best.draws, extra),
    gradientEvaluations: evaluations,
    recovered,
  };
}

/**
 * The path's initial point: `init[k − 1]` when given (it must have a finite
 * log density and gradient), else Stan's random initialization, the first
 * of up to INIT_TRIES uniform draws in (−initRadius, initRadius) with a
 * finite log density and gradient.
 */
function initialPoint(
  density: LogDensity,
  rng: Rng,
  s: PathfinderSettings,
  k: number,
): { x0?: Float64Array; reason: string; evaluations: number } {
  const d = density.dim;
  const g = new Float64Array(d);
  const finiteAt = (x: Float64Array): boolean => {
    try {
      return Number.isFinite(density.logpGrad(x, g)) && g.every(Number.isFinite);
    } catch {
      return false;
    }
  };
  if (s.init !== undefined) {
    const x0 = Float64Array.from(s.init[k - 1]);
    return finiteAt(x0)
      ? { x0, reason: "", evaluations: 1 }
      : { reason: `the log density or its gradient is not finite at init[${k - 1}]`, evaluations: 1 };
  }
  for (let t = 1; t <= INIT_TRIES; t++) {
    const x0 = Float64Array.from({ length: d }, () => s.initRadius * (2 * rng.uniform() - 1));
    if (finiteAt(x0)) return { x0, reason: "", evaluations: t };
  }
  return {
    reason: `no finite log density and gradient at ${INIT_TRIES} random initial points in (−${s.initRadius}, ${s.initRadius})`,
    evaluations: INIT_TRIES,
  };
}

/** The L-BFGS options of the settings (undefined tolerances take L-BFGS's defaults); not its progress, which Pathfinder reports per iterate. */
function lbfgsOptions(s: PathfinderSettings): LbfgsOptions & EngineRunOptions {
  const { initAlpha, tolObj, tolRelObj, tolGrad, tolRelGrad, tolParam, signal } = s;
  return { initAlpha, tolObj, tolRelObj, tolGrad, tolRelGrad, tolParam, signal, history: s.history, maxIterations: s.maxLbfgsIterations };
}

/** The first `n` of the draws `a` then `b`, as engine draws. */
function engineDraws(d: number, n: number, a: ApproxDraws, b: ApproxDraws | undefined): EngineDraws {
  const points = new Float64Array(n * d);
  const lpApprox = new Float64Array(n);
  const lp = new Float64Array(n);
  let j = 0;
  for (const part of b === undefined ? [a] : [a, b]) {
    const take = Math.min(part.n, n - j);
    points.set(part.points.subarray(0, take * d), j * d);
    lpApprox.set(part.lpApprox.subarray(0, take), j);
    lp.set(part.lp.subarray(0, take), j);
    j += take;
  }
  return { dim: d, n, points, columns: { lp_approx__: lpApprox, lp__: lp } };
}

/** A failed path's result. */
function failedPath(
  k: number,
  d: number,
  reason: string,
  run: LbfgsResult | undefined,
  evaluations: number,
  recovered: number,
): PathResult {
  const nan = () => new Float64Array(d).fill(NaN);
  return {
    path: k,
    ok: false,
    reason,
    bestIteration: -1,
    elbo: -Infinity,
    lbfgsIterations: run?.iterations ?? 0,
    lbfgsConverged: run?.converged ?? false,
    lbfgsMessage: run?.message ?? "",
    mean: nan(),
    variance: nan(),
    draws: { dim: d, n: 0, points: new Float64Array(0), columns: { lp_approx__: new Float64Array(0), lp__: new Float64Array(0) } },
    gradientEvaluations: evaluations,
    recovered,
  };
}
