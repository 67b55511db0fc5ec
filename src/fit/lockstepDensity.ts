/**
 * `sampleLockstepDensity`: a lockstep run collected into a {@link Fit},
 * one chain per lockstep chain, with the statistics NUTS fills (tree depth
 * 0), so summaries and diagnostics work unchanged.
 * @module
 */
import { nextTurn } from "../nextTurn.ts";
import type { BatchDensity } from "../codegen/batch.ts";
import type { CompiledDensity } from "../codegen/density.ts";
import type { ChainDraws, DrawStats } from "../inference/draws.ts";
import { STAT_NAMES } from "../inference/draws.ts";
import { Fit } from "./fit.ts";
import { checkCount, checkOpenUnit, randomSeed, type FitSettings } from "../inference/options.ts";
import { DEFAULT_CHEES } from "../inference/lockstep/chees.ts";
import { type LockstepIteration, LockstepSampler, type LockstepSettings } from "../inference/lockstep/sampler.ts";
import { DEFAULT_TARGET_ACCEPT, type LockstepAdaptation } from "../inference/lockstep/warmup.ts";
/** What a run reports its draws through: the layout of the values and the map to them (a compiled density is one). */
export type LockstepTarget = Pick<CompiledDensity, "dim" | "valueLayout" | "valueSize" | "constrain">;

/** Options of {@link sampleLockstepDensity}. */
export interface LockstepOptions {
  /** Number of chains, at least 2 (256). */
  readonly chains?: number;
  /** Draws kept per chain after warm-up, before thinning (1000). */
  readonly draws?: number;
  /** Warm-up iterations (1000). */
  readonly warmup?: number;
  /** Seed of every chain's random stream; chain k uses stream k. Default: from the clock, recorded in `fit.settings.seed`. */
  readonly seed?: number;
  /** Keep every `thin`-th draw (1). */
  readonly thin?: number;
  /** Target of the harmonic mean over chains of the acceptance probability (0.651, see `warmup.ts`). */
  readonly targetAccept?: number;
  /** Most leapfrog steps per trajectory (1000). */
  readonly maxLeapfrog?: number;
  /** Keep warm-up draws in the fit (false): with them, the first transitions of two backends can be compared. */
  readonly saveWarmup?: boolean;
  /** Initial unconstrained point for all chains (dim values) or per chain (chains × dim). */
  readonly init?: Float64Array;
  /** Aborting stops the run between iterations: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called after every iteration with all chains' positions and statistics. */
  readonly onIteration?: (iteration: LockstepIteration) => void;
  /** Called once when warm-up ends (at the start when there is none) with the frozen step size, trajectory length and metric. */
  readonly onAdapted?: (adaptation: LockstepAdaptation) => void;
}

/** Options with defaults filled in and checked. */
function resolve(opts: LockstepOptions): LockstepSettings & { thin: number; saveWarmup: boolean } {
  const r = {
    chains: opts.chains ?? 256,
    draws: opts.draws ?? 1000,
    warmup: opts.warmup ?? 1000,
    seed: opts.seed ?? randomSeed(),
    thin: opts.thin ?? 1,
    targetAccept: opts.targetAccept ?? DEFAULT_TARGET_ACCEPT,
    maxLeapfrog: opts.maxLeapfrog ?? DEFAULT_CHEES.maxLeapfrog,
    saveWarmup: opts.saveWarmup ?? false,
    init: opts.init,
  };
  checkCount("draws", r.draws, 0);
  checkCount("warmup", r.warmup, 0);
  checkCount("thin", r.thin, 1);
  checkCount("seed", r.seed, 0);
  checkCount("maxLeapfrog", r.maxLeapfrog, 1);
  checkOpenUnit("targetAccept", r.targetAccept);
  return r;
}

/**
 * The event loop gets a turn at least this often (ms): a JS batch density
 * resolves at once, and without a turn timers and signal handlers (Ctrl-C)
 * would wait for the whole run (as in `runtime/inProcess.ts`).
 */
const TURN_MS = 50;

/**
 * Samples `density` with lockstep chains (ChEES-HMC): every leapfrog step
 * evaluates all chains in one `logpGradBatch` call. `target` maps
 * unconstrained points to the reported values (the compiled JS density of
 * the same model serves, whatever backend `density` is).
 *
 * @example
 * ```ts slow
 * const compiled = compile(eightSchools, data);
 * const fit = await sampleLockstepDensity(batchOf(compiled), compiled, { chains: 256, warmup: 500, draws: 250, seed: 1 });
 * console.log(fit.summaryTable());
 * ```
 */
export async function sampleLockstepDensity(density: BatchDensity, target: LockstepTarget, opts: LockstepOptions = {}): Promise<Fit> {
  const r = resolve(opts);
  if (target.dim !== density.dim) throw new RangeError(`the target has dimension ${target.dim}, the density ${density.dim}`);
  const started = performance.now();
  opts.signal?.throwIfAborted();
  const sampler = await LockstepSampler.create(density, r);
  const kept = (iter: number) => (iter <= r.warmup ? r.saveWarmup && (iter - 1) % r.thin === 0 : (iter - r.warmup - 1) % r.thin === 0);
  const savedWarmup = r.saveWarmup ? Math.ceil(r.warmup / r.thin) : 0;
  const savedDraws = Math.ceil(r.draws / r.thin);
  const length = savedWarmup + savedDraws;
  const columns = Array.from({ length: r.chains }, () => ({
    stats: Object.fromEntries(STAT_NAMES.map((s) => [s, new Float64Array(length)])) as unknown as { [K in keyof DrawStats]: Float64Array },
    values: Array.from({ length: target.valueSize }, () => new Float64Array(length)),
  }));
  const d = density.dim;
  const values = new Float64Array(target.valueSize);
  let row = 0;
  let warmupEnd = started;
  let lastTurn = performance.now();
  if (r.warmup === 0) opts.onAdapted?.(sampler.adaptation());
  for (let it = await sampler.next(); it !== undefined; it = await sampler.next()) {
    if (kept(it.iter)) {
      for (let c = 0; c < r.chains; c++) {
        target.constrain(it.theta.subarray(c * d, (c + 1) * d), values);
        const col = columns[c];
        for (let j = 0; j < values.length; j++) col.values[j][row] = values[j];
        for (const s of STAT_NAMES) col.stats[s][row] = Number(it.stats[c][s]);
      }
      row++;
    }
    opts.onIteration?.(it);
    if (it.iter === r.warmup) {
      warmupEnd = performance.now();
      opts.onAdapted?.(sampler.adaptation());
    }
    if (performance.now() - lastTurn >= TURN_MS) {
      await nextTurn();
      lastTurn = performance.now();
    }
    opts.signal?.throwIfAborted();
  }
  const ended = performance.now();
  const { stepSize, invMetric } = sampler.adaptation();
  const adaptation = { stepSize, invMetric: Array.from(invMetric) };
  const elapsed = { warmup: (warmupEnd - started) / 1000, sampling: (ended - warmupEnd) / 1000 };
  const chains = columns.map((col, c): ChainDraws => ({
    chain: c + 1,
    warmup: savedWarmup,
    draws: savedDraws,
    ...col,
    adaptation,
    elapsed,
  }));
  const settings: FitSettings = {
    chains: r.chains,
    draws: r.draws,
    warmup: r.warmup,
    seed: r.seed,
    thin: r.thin,
    targetAccept: r.targetAccept,
    // No lockstep transition builds a tree (tree depth 0), so no draw counts as hitting this depth.
    maxDepth: 10,
    metric: "diag",
    saveWarmup: r.saveWarmup,
    reparam: false,
    sampler: "lockstep",
  };
  return new Fit(target.valueLayout, settings, chains);
}
