/**
 * `sample`: NUTS on a model's posterior, chains run one after another in
 * this process (each chain's draws depend only on the seed and its number).
 * @module
 */
import { compile } from "../compile.ts";
import type { CompiledDensity } from "../codegen/density.ts";
import type { Model, Outputs } from "../dsl/model.ts";
import type { Numeric } from "../dsl/tensor.ts";
import { Chain, type ChainSettings } from "./chain.ts";
import { type ChainDraws, type DrawStats, STAT_NAMES } from "./draws.ts";
import { Fit } from "./fit.ts";

/** Options of {@link sample}; the defaults are Stan's. */
export interface SampleOptions {
  /** Number of chains (4). */
  readonly chains?: number;
  /** Draws kept per chain after warm-up, before thinning (1000). */
  readonly draws?: number;
  /** Warm-up iterations per chain (1000). */
  readonly warmup?: number;
  /** Seed of every chain's random stream; chain k uses stream k. Default: from the clock, recorded in `fit.seed`. */
  readonly seed?: number;
  /** Keep every `thin`-th draw (1). */
  readonly thin?: number;
  /** Target acceptance statistic of step-size adaptation (0.8). */
  readonly targetAccept?: number;
  /** Maximum tree depth (10). */
  readonly maxDepth?: number;
  /** Euclidean metric adapted in warm-up ("diag"). */
  readonly metric?: "diag" | "dense";
  /** Initial values on the constrained scale, by site name; random in (−2, 2) unconstrained otherwise. */
  readonly init?: Readonly<Record<string, Numeric>>;
  /** Keep warm-up draws in the fit (false). */
  readonly saveWarmup?: boolean;
}

/** Options with every default filled in. */
export type ResolvedSampleOptions = Required<Omit<SampleOptions, "init">> & Pick<SampleOptions, "init">;

/** Fills in the defaults and checks the options, with a clear error for each bad one. */
export function resolveOptions(opts: SampleOptions): ResolvedSampleOptions {
  const r: ResolvedSampleOptions = {
    chains: opts.chains ?? 4,
    draws: opts.draws ?? 1000,
    warmup: opts.warmup ?? 1000,
    seed: opts.seed ?? Math.floor(Math.random() * 2 ** 31),
    thin: opts.thin ?? 1,
    targetAccept: opts.targetAccept ?? 0.8,
    maxDepth: opts.maxDepth ?? 10,
    metric: opts.metric ?? "diag",
    saveWarmup: opts.saveWarmup ?? false,
    init: opts.init,
  };
  const count = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${v}`);
  };
  count("chains", r.chains, 1);
  count("draws", r.draws, 0);
  count("warmup", r.warmup, 0);
  count("thin", r.thin, 1);
  count("maxDepth", r.maxDepth, 1);
  count("seed", r.seed, 0);
  if (!(r.targetAccept > 0 && r.targetAccept < 1)) throw new RangeError(`targetAccept must lie in (0, 1), got ${r.targetAccept}`);
  if (r.metric !== "diag" && r.metric !== "dense") throw new RangeError(`metric must be "diag" or "dense", got ${String(r.metric)}`);
  return r;
}

/** Settings of chain `k` (1-based). */
export function chainSettings(density: CompiledDensity, opts: ResolvedSampleOptions, k: number): ChainSettings {
  return {
    chain: k,
    seed: opts.seed,
    warmup: opts.warmup,
    draws: opts.draws,
    maxDepth: opts.maxDepth,
    targetAccept: opts.targetAccept,
    metric: opts.metric,
    init: opts.init === undefined ? undefined : density.unconstrain(opts.init),
  };
}

/** Whether iteration `iter` (1-based) of a chain is kept. */
export function isKept(iter: number, opts: ResolvedSampleOptions): boolean {
  if (iter <= opts.warmup) return opts.saveWarmup && (iter - 1) % opts.thin === 0;
  return (iter - opts.warmup - 1) % opts.thin === 0;
}

/** Runs one chain to the end, collecting its kept draws column by column. */
export function runChain(density: CompiledDensity, opts: ResolvedSampleOptions, k: number): { draws: ChainDraws; thetas: Float64Array[] } {
  const started = performance.now();
  let warmupEnd = started;
  const chain = new Chain(density, chainSettings(density, opts, k));
  const stats: Record<keyof DrawStats, number[]> = Object.fromEntries(STAT_NAMES.map((s) => [s, []])) as never;
  const values: number[][] = Array.from({ length: density.valueSize }, () => []);
  const thetas: Float64Array[] = [];
  const constrained = new Float64Array(density.valueSize);
  let warmupKept = 0;
  for (let t = chain.next(); t !== undefined; t = chain.next()) {
    if (t.iter === opts.warmup) warmupEnd = performance.now();
    if (!isKept(t.iter, opts)) continue;
    if (t.warmup) warmupKept++;
    for (const s of STAT_NAMES) stats[s].push(Number(t.stats[s]));
    density.constrain(t.theta, constrained);
    for (let j = 0; j < constrained.length; j++) values[j].push(constrained[j]);
    thetas.push(Float64Array.from(t.theta));
  }
  if (opts.warmup === 0) warmupEnd = started;
  const ended = performance.now();
  return {
    draws: {
      chain: k,
      warmup: warmupKept,
      draws: thetas.length - warmupKept,
      stats: Object.fromEntries(STAT_NAMES.map((s) => [s, Float64Array.from(stats[s])])) as unknown as ChainDraws["stats"],
      values: values.map((v) => Float64Array.from(v)),
      adaptation: chain.adaptation(),
      elapsed: { warmup: (warmupEnd - started) / 1000, sampling: (ended - warmupEnd) / 1000 },
    },
    thetas,
  };
}

/**
 * Samples a model's posterior with NUTS.
 *
 * @example
 * ```ts
 * const fit = await sample(eightSchools, data, { chains: 4, draws: 1000, warmup: 1000, seed: 1 });
 * fit.draws.theta;                 // number[][]: one array per kept draw, chains concatenated
 * console.log(fit.summaryTable());
 * ```
 */
export async function sample<D, O extends Outputs>(mdl: Model<D, O>, data: D, opts: SampleOptions = {}): Promise<Fit<D, O>> {
  const resolved = resolveOptions(opts);
  const density = compile(mdl, data);
  const runs = Array.from({ length: resolved.chains }, (_, i) => runChain(density, resolved, i + 1));
  return new Fit(mdl, data, density, resolved, runs.map((r) => r.draws), runs.map((r) => r.thetas));
}
