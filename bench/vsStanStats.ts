/**
 * The figures of one sampling run, computed the same way for sampo's and
 * Stan's draws (sampo's own ESS estimator for both), and their medians over
 * seeds.
 * @module
 */
import type { ChainDraws } from "../src/inference/draws.ts";
import { essBulk } from "../src/inference/diagnostics/index.ts";
import { elementNames } from "../src/tensor/layout.ts";
import { column, summarize } from "../src/inference/diagnostics/report.ts";
import { compareToReference, type RefParam } from "../test/helpers/reference.ts";
import { median } from "./timing.ts";
import type { ValueLayout } from "../src/tensor/layout.ts";

/** How long a run took, in seconds. */
export interface RunTiming {
  /** Warm-up + sampling by the system's own timer (sampo: wall clock; Stan 2.21: `clock()`, i.e. CPU time). */
  readonly seconds: number;
  /** Warm-up + sampling in process CPU time (for Stan the same figure as `seconds`). */
  readonly cpuSeconds: number;
  /**
   * Wall time of the whole call: sampo's `sample()` with its compilation and
   * the reparameterization's pilot warm-up; Stan's round trip to the R
   * worker with rstan's R-side work (no R startup, compilation cached).
   */
  readonly callSeconds: number;
}

/** What one run (one system, one seed) measured. */
export interface RunFigures extends RunTiming {
  /** Minimum bulk ESS over all parameter elements (post-warm-up draws). */
  readonly minEss: number;
  /** The element with that minimum. */
  readonly minEssOf: string;
  /** minEss / seconds. */
  readonly essPerS: number;
  /** minEss / cpuSeconds. */
  readonly essPerCpuS: number;
  /** Mean n_leapfrog (gradient evaluations) per post-warm-up draw. */
  readonly gradsPerDraw: number;
  /** seconds / every leapfrog of the run (warm-up included), in µs. */
  readonly usPerGrad: number;
  /** cpuSeconds / every leapfrog of the run, in µs. */
  readonly usPerGradCpu: number;
  /** Divergent transitions after warm-up. */
  readonly divergences: number;
  /** Failed z-tests against the reference posterior (empty: the run agrees). */
  readonly failures: readonly string[];
}

function sum(xs: Float64Array): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/**
 * The figures of one chain. Its draws must include the saved warm-up, so
 * that the leapfrogs behind the timed warm-up are counted too.
 *
 * @param layout The value layout of the draws; only `parameter` entries count for ESS.
 * @param chain One chain's draws, warm-up first.
 * @param timing Warm-up + sampling time, by the system's timer and in CPU time.
 * @param ref The reference posterior (test/fixtures/reference/<model>.json `parameters`).
 * @param heavyTailed Names whose sd is untestable, checked on quantiles instead (the funnel's x).
 */
export function runFigures(
  layout: ValueLayout,
  chain: ChainDraws,
  timing: RunTiming,
  ref: Readonly<Record<string, RefParam>>,
  heavyTailed: (name: string) => boolean,
): RunFigures {
  if (chain.warmup === 0) throw new Error("runFigures: the chain has no saved warm-up, so its leapfrogs cannot be counted");
  const names = elementNames(layout);
  let minEss = Infinity;
  let minEssOf = "";
  for (const e of layout) {
    if (e.kind !== "parameter") continue;
    for (let j = e.offset; j < e.offset + e.size; j++) {
      // NaN (a chain stuck on one value) counts as no information at all.
      const ess = essBulk(column([chain], j)) || 0;
      if (ess < minEss) ((minEss = ess), (minEssOf = names[j]));
    }
  }
  const post = (s: keyof ChainDraws["stats"]) => chain.stats[s].subarray(chain.warmup, chain.warmup + chain.draws);
  const rows = summarize(layout, [chain]);
  const heavy = Object.fromEntries(rows.map((r, j) => [r.name, column([chain], j)]).filter(([n]) => heavyTailed(n as string)));
  const leapfrogs = sum(chain.stats.nLeapfrog);
  return {
    ...timing,
    minEss,
    minEssOf,
    essPerS: minEss / timing.seconds,
    essPerCpuS: minEss / timing.cpuSeconds,
    gradsPerDraw: sum(post("nLeapfrog")) / chain.draws,
    usPerGrad: (1e6 * timing.seconds) / leapfrogs,
    usPerGradCpu: (1e6 * timing.cpuSeconds) / leapfrogs,
    divergences: post("divergent").reduce((n, x) => n + (x !== 0 ? 1 : 0), 0),
    failures: compareToReference(rows, ref, { heavyTailed: heavy }),
  };
}

/** Medians over seeds of one system's runs, with agreement counted beside. */
export interface SystemSummary {
  readonly essPerS: number;
  readonly essPerCpuS: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly callSeconds: number;
  readonly minEss: number;
  readonly gradsPerDraw: number;
  readonly usPerGrad: number;
  readonly usPerGradCpu: number;
  readonly divergences: number;
  /** Divergences summed over all seeds. */
  readonly divergencesTotal: number;
  /** How many seeds' runs agree with the reference. */
  readonly agree: number;
}

/** A finite number: NaN and ±∞ (no runs, a zero time) become 0, so JSON consumers always get numbers. */
export function finite(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

/** Medians over the runs of one system (one run per seed). */
export function summarizeRuns(runs: readonly RunFigures[]): SystemSummary {
  const med = (f: (r: RunFigures) => number) => finite(median(runs.map(f)));
  return {
    essPerS: med((r) => r.essPerS),
    essPerCpuS: med((r) => r.essPerCpuS),
    seconds: med((r) => r.seconds),
    cpuSeconds: med((r) => r.cpuSeconds),
    callSeconds: med((r) => r.callSeconds),
    minEss: med((r) => r.minEss),
    gradsPerDraw: med((r) => r.gradsPerDraw),
    usPerGrad: med((r) => r.usPerGrad),
    usPerGradCpu: med((r) => r.usPerGradCpu),
    divergences: med((r) => r.divergences),
    divergencesTotal: runs.reduce((n, r) => n + r.divergences, 0),
    agree: runs.filter((r) => r.failures.length === 0).length,
  };
}
