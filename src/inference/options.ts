/**
 * Options of a sampling run, their defaults (Stan's) and checks.
 * @module
 */
import type { CompiledDensity } from "../codegen/density.ts";
import type { AdaptKind, MetricChoice } from "./adapt/chainWarmup.ts";
import type { ChainSettings } from "./chain.ts";
import type { Numeric } from "../tensor/shape.ts";

/** The settings a fit was sampled with (what `run.json` records). */
export interface FitSettings {
  readonly chains: number;
  readonly draws: number;
  readonly warmup: number;
  readonly seed: number;
  readonly thin: number;
  readonly targetAccept: number;
  readonly maxDepth: number;
  readonly metric: MetricChoice;
  /** The warm-up; absent in runs recorded before nutpie's existed, which used Stan's. */
  readonly adapt?: AdaptKind;
  readonly saveWarmup: boolean;
  readonly reparam: boolean;
  /** The sampler: NUTS chains (default) or lockstep chains, which diagnostics judge differently. */
  readonly sampler?: "nuts" | "lockstep";
  /** Gradient evaluations `init: "pathfinder"` spent before the chains started. */
  readonly initGradients?: number;
}

/** Options of {@link sample}; the defaults are Stan's, but for the warm-up (nutpie's) and the metric ("auto"). */
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
  /**
   * Euclidean metric adapted in warm-up ("auto"): "diag", "dense", or "auto".
   * Under nutpie's warm-up "auto" is the diagonal plus a low-rank correction
   * along the directions where the warm-up's draws and gradients show
   * strong correlations (eigenvalues of the σ-scaled Fisher estimate
   * outside [½, 2]; none: the diagonal), up to 100 parameters; under Stan's,
   * "auto" is the diagonal.
   */
  readonly metric?: MetricChoice;
  /**
   * Warm-up ("nutpie"): "nutpie" adapts the metric from the draws and their
   * gradients (σ² = √(Var x / Var ∇log p)), from the first draw on, on
   * growing windows; "stan" is Stan's windowed warm-up (variances of the
   * draws, windows 75 / 25 doubling / 50).
   */
  readonly adapt?: AdaptKind;
  /**
   * Initial values on the constrained scale, by site name; or "pathfinder":
   * each chain starts at its own draw of a multi-path Pathfinder run, with
   * the draws' variances as the initial diagonal metric. Random in (−2, 2)
   * unconstrained otherwise.
   */
  readonly init?: Readonly<Record<string, Numeric>> | "pathfinder";
  /** Keep warm-up draws in the fit (false). */
  readonly saveWarmup?: boolean;
  /** Automatic reparameterization of location-scale sites (true); false samples the model as written. */
  readonly reparam?: boolean;
}

/**
 * The settings recorded for a method other than NUTS: its chains of draws
 * (one; SMC: its independent runs) and draws per chain, no warm-up, NUTS's
 * own settings at Stan's defaults (they do not apply).
 */
export function methodFitSettings(chains: number, draws: number, seed: number): FitSettings {
  return { chains, draws, warmup: 0, seed, thin: 1, targetAccept: 0.8, maxDepth: 10, metric: "diag", saveWarmup: false, reparam: false };
}

/** A seed from the clock's randomness, for runs not given one (recorded so they can be repeated). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

/** Throws a RangeError naming `name` unless `v` is an integer ≥ `min`. */
export function checkCount(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${v}`);
}

/** Throws a RangeError naming `name` unless 0 < `v` < 1. */
export function checkOpenUnit(name: string, v: number): void {
  if (!(v > 0 && v < 1)) throw new RangeError(`${name} must lie in (0, 1), got ${v}`);
}

/** Options with every default filled in. */
export type ResolvedSampleOptions = Required<Omit<SampleOptions, "init">> &
  Pick<SampleOptions, "init"> & {
    /** Each chain's initial unconstrained point (what `init: "pathfinder"` resolves to), one row per chain. */
    readonly initPoints?: readonly (readonly number[])[];
    /** The initial inverse metric's diagonal (unconstrained), used until warm-up's first metric window ends. */
    readonly initInvMetric?: readonly number[];
    /** Gradient evaluations spent finding `initPoints` (Pathfinder's), to weigh against the warm-up they save. */
    readonly initGradients?: number;
  };

/** Fills in the defaults and checks the options, with a clear error for each bad one. */
export function resolveOptions(
  opts: SampleOptions & Pick<ResolvedSampleOptions, "initPoints" | "initInvMetric" | "initGradients">,
): ResolvedSampleOptions {
  const r: ResolvedSampleOptions = {
    chains: opts.chains ?? 4,
    draws: opts.draws ?? 1000,
    warmup: opts.warmup ?? 1000,
    seed: opts.seed ?? randomSeed(),
    thin: opts.thin ?? 1,
    targetAccept: opts.targetAccept ?? 0.8,
    maxDepth: opts.maxDepth ?? 10,
    metric: opts.metric ?? "auto",
    adapt: opts.adapt ?? "nutpie",
    saveWarmup: opts.saveWarmup ?? false,
    reparam: opts.reparam ?? true,
    init: opts.init,
    ...(opts.initPoints !== undefined && { initPoints: opts.initPoints }),
    ...(opts.initInvMetric !== undefined && { initInvMetric: opts.initInvMetric }),
    ...(opts.initGradients !== undefined && { initGradients: opts.initGradients }),
  };
  checkCount("chains", r.chains, 1);
  checkCount("draws", r.draws, 0);
  checkCount("warmup", r.warmup, 0);
  checkCount("thin", r.thin, 1);
  checkCount("maxDepth", r.maxDepth, 1);
  checkCount("seed", r.seed, 0);
  checkOpenUnit("targetAccept", r.targetAccept);
  if (r.metric !== "diag" && r.metric !== "dense" && r.metric !== "auto")
    throw new RangeError(`metric must be "diag", "dense" or "auto", got ${String(r.metric)}`);
  if (r.adapt !== "nutpie" && r.adapt !== "stan") throw new RangeError(`adapt must be "nutpie" or "stan", got ${String(r.adapt)}`);
  if (typeof r.init === "string" && r.init !== "pathfinder")
    throw new RangeError(`init must be initial values by site name or "pathfinder", got "${r.init}"`);
  if (r.initPoints !== undefined && r.initPoints.length !== r.chains)
    throw new RangeError(`initPoints has ${r.initPoints.length} rows for ${r.chains} chains`);
  if (r.initInvMetric !== undefined && !r.initInvMetric.every((v) => Number.isFinite(v) && v > 0))
    throw new RangeError("initInvMetric must hold finite positive numbers");
  return r;
}

/** Settings of chain `k` (1-based). */
export function chainSettings(density: CompiledDensity, opts: ResolvedSampleOptions, k: number): ChainSettings {
  const point = opts.initPoints?.[k - 1];
  for (const [what, v] of [
    ["initPoints", point],
    ["initInvMetric", opts.initInvMetric],
  ] as const) {
    if (v !== undefined && v.length !== density.dim)
      throw new RangeError(`${what}: ${v.length} values for a density of dimension ${density.dim}`);
  }
  return {
    chain: k,
    seed: opts.seed,
    warmup: opts.warmup,
    draws: opts.draws,
    maxDepth: opts.maxDepth,
    targetAccept: opts.targetAccept,
    metric: opts.metric,
    adapt: opts.adapt,
    init:
      point !== undefined
        ? Float64Array.from(point)
        : opts.init === undefined || opts.init === "pathfinder"
          ? undefined
          : density.unconstrain(opts.init),
    ...(opts.initInvMetric !== undefined && { initInvMetric: Float64Array.from(opts.initInvMetric) }),
  };
}
