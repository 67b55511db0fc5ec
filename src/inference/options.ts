/**
 * Options of a sampling run, their defaults (Stan's) and checks.
 * @module
 */
import type { CompiledDensity } from "../codegen/density.ts";
import type { Numeric } from "../dsl/tensor.ts";
import type { ChainSettings } from "./chain.ts";

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
  /** Automatic reparameterization of location-scale sites (true); false samples the model as written. */
  readonly reparam?: boolean;
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
    reparam: opts.reparam ?? true,
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
