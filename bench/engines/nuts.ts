/**
 * The NUTS side of `npm run bench:engines`: one run of 4 chains with warm-up
 * saved (so its gradients are counted), and the shortest prefix of the
 * post-warm-up draws whose pooled means and sds reach the reference.
 * @module
 */
import { benchmarks, type BenchmarkName } from "../../examples/index.ts";
import { sample } from "../../src/fit/sample.ts";
import type { ChainDraws } from "../../src/inference/draws.ts";
import { essBulk } from "../../src/inference/diagnostics/index.ts";
import { column, summarize } from "../../src/inference/diagnostics/report.ts";
import { type Errors, errorsAgainst, reference } from "./errors.ts";

/** Post-warm-up draws per chain tried, shortest first; the last is the whole run. */
export const PREFIXES = [50, 100, 200, 400, 1000] as const;

/** Chains, warm-up and draws of every NUTS run here (Stan's defaults). */
export const NUTS_RUN = { chains: 4, warmup: 1000, draws: 1000 } as const;

/** One NUTS run and what it took to reach the reference. */
export interface NutsRun {
  /** Leapfrog steps (gradient evaluations) of warm-up, all chains. */
  readonly warmupGradients: number;
  /** Every leapfrog step of the run, all chains. */
  readonly totalGradients: number;
  /** Warm-up + sampling time summed over chains (each chain's own clock): the run's single-core seconds. */
  readonly chainSeconds: number;
  /** Wall time of the whole `sample()` call: compilation, the reparameterization pilot, Pathfinder (with that init), chains on worker threads. */
  readonly callSeconds: number;
  /** Gradient evaluations of the Pathfinder run behind `init: "pathfinder"` (0 without it; NaN when sampo did not report them). */
  readonly pathfinderGradients: number;
  /** Minimum bulk ESS over the parameter elements, all post-warm-up draws. */
  readonly minEss: number;
  /** The shortest prefix (draws per chain) of {@link PREFIXES} that reaches the reference, or null. */
  readonly reachedAt: number | null;
  /** Gradients up to the end of that prefix (warm-up included), or of the whole run when none reaches. */
  readonly gradients: number;
  /** chainSeconds pro rata of `gradients` / `totalGradients`. */
  readonly seconds: number;
  /** The errors at that prefix, or of the whole run. */
  readonly errors: Errors;
  /** The errors at every prefix of {@link PREFIXES}. */
  readonly byPrefix: readonly { readonly draws: number; readonly errors: Errors }[];
}

const sum = (xs: Float64Array) => xs.reduce((s, x) => s + x, 0);

/** The first `n` post-warm-up draws of a chain, as a chain of its own (warm-up kept). */
const prefix = (c: ChainDraws, n: number): ChainDraws => ({ ...c, draws: Math.min(n, c.draws) });

/** Leapfrog steps of a chain's first `n` iterations (warm-up included). */
const leapfrogs = (c: ChainDraws, n: number) => sum(c.stats.nLeapfrog.subarray(0, n));

/**
 * Runs NUTS ({@link NUTS_RUN}) on benchmark `name` and finds the shortest
 * prefix of its draws that reaches the reference posterior.
 *
 * @example
 * ```ts
 * const r = await runNuts("eight_schools", 1);
 * r.reachedAt;   // e.g. 200 draws per chain
 * ```
 */
export async function runNuts(name: BenchmarkName, seed: number, init?: "pathfinder"): Promise<NutsRun> {
  const { model, data } = benchmarks[name];
  const called = performance.now();
  const fit = await sample(model, data, { ...NUTS_RUN, seed, saveWarmup: true, ...(init && { init }) });
  const callSeconds = (performance.now() - called) / 1000;
  const chains = fit.chains;
  const ref = reference(name);
  const warmupGradients = chains.reduce((n, c) => n + leapfrogs(c, c.warmup), 0);
  const totalGradients = chains.reduce((n, c) => n + leapfrogs(c, c.warmup + c.draws), 0);
  const chainSeconds = chains.reduce((s, c) => s + (c.elapsed ? c.elapsed.warmup + c.elapsed.sampling : NaN), 0);
  const byPrefix = PREFIXES.map((n) => {
    const rows = new Map(
      summarize(
        fit.valueLayout,
        chains.map((c) => prefix(c, n)),
      ).map((r) => [r.name, r]),
    );
    return { draws: n, errors: errorsAgainst((e) => rows.get(e), ref) };
  });
  const first = byPrefix.find((p) => p.errors.reached);
  const kept = first?.draws ?? NUTS_RUN.draws;
  const gradients = chains.reduce((g, c) => g + leapfrogs(c, c.warmup + Math.min(kept, c.draws)), 0);
  let minEss = Infinity;
  for (const e of fit.valueLayout) {
    if (e.kind !== "parameter") continue;
    // NaN (a chain stuck on one value) counts as no information at all.
    for (let j = e.offset; j < e.offset + e.size; j++) minEss = Math.min(minEss, essBulk(column(chains, j)) || 0);
  }
  return {
    warmupGradients,
    totalGradients,
    chainSeconds,
    callSeconds,
    pathfinderGradients: init === undefined ? 0 : (fit.settings.initGradients ?? NaN),
    minEss,
    reachedAt: first?.draws ?? null,
    gradients,
    seconds: (chainSeconds * gradients) / totalGradients,
    errors: (first ?? byPrefix[byPrefix.length - 1]).errors,
    byPrefix,
  };
}
