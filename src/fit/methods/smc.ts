/**
 * `smc`: sequential Monte Carlo with adaptive tempering from the prior to
 * the posterior, with the log marginal likelihood (evidence) and its
 * Monte-Carlo error from independent runs. Particles move as one batch, so
 * the ONNX backend serves here too.
 * @module
 */
import type { Model, Outputs } from "../../dsl/model.ts";
import { smc as smcEngine, type SmcOptions as EngineOptions } from "../../inference/smc/smc.ts";
import type { SampleMessage } from "../../runtime/messages.ts";
import { collectMethod, type MethodFit } from "../methodFit.ts";
import { smcTarget } from "../smcTarget.ts";
import { methodStream } from "./methodStream.ts";
import { type MethodOptions, resolveSeed } from "./prepare.ts";

/** Options of {@link smc}: the engine's and the common ones (`init` does not apply: particles start from the prior). */
export interface SmcOptions extends Omit<MethodOptions, "init">, Omit<EngineOptions, "seed" | "onProgress" | "signal"> {}

/** What {@link smc} found beyond its draws. */
export interface SmcInfo {
  /** log p(data): the mean of the runs' estimates. */
  readonly logEvidence: number;
  /** Its Monte-Carlo standard error, from the spread of the independent runs. */
  readonly logEvidenceSe: number;
  /** Per run: its log evidence, tempering schedule (β per stage) and mutation acceptance per stage. */
  readonly runs: readonly { readonly logEvidence: number; readonly betas: readonly number[]; readonly acceptance: readonly number[] }[];
  readonly gradientEvaluations: number;
  /** Particles or moves dropped because their log density threw or was not finite. */
  readonly recovered: number;
}

/** SMC as a stream of messages (see `methodStream`): each independent run's particles are one chain. */
export async function* smcStream<D, O extends Outputs>(mdl: Model<D, O>, data: D, opts: SmcOptions = {}): AsyncGenerator<SampleMessage> {
  const seed = resolveSeed(opts.seed);
  const { seed: _s, backend = "js", signal, ...given } = opts;
  const target = await smcTarget(mdl, data, { backend });
  const runs = given.runs ?? 4;
  const particles = given.particles ?? 1000;
  try {
    yield* methodStream({
      method: "smc",
      density: target.density,
      seed,
      chains: runs,
      draws: particles,
      settings: { ...given, runs, particles, backend },
      signal,
      run: async (hooks) => {
        const r = await smcEngine(target, { ...given, seed, ...hooks });
        const info: SmcInfo = {
          logEvidence: r.logEvidence,
          logEvidenceSe: r.logEvidenceSe,
          runs: r.runs.map(({ logEvidence, betas, acceptance }) => ({ logEvidence, betas, acceptance })),
          gradientEvaluations: r.gradientEvaluations,
          recovered: r.recovered,
        };
        const d = r.draws.dim;
        const draws = r.runs.map((run) => {
          const n = run.points.length / d;
          const columns = Object.fromEntries(Object.keys(r.draws.columns).map((name) => [name, new Float64Array(n)]));
          return { dim: d, n, points: run.points, columns };
        });
        // The engine's per-draw columns are for all runs, run 1 first: split them by run.
        let at = 0;
        for (const chain of draws) {
          for (const [name, col] of Object.entries(chain.columns)) col.set(r.draws.columns[name].subarray(at, at + chain.n));
          at += chain.n;
        }
        const warnings = r.recovered > 0 ? [`${r.recovered} particle evaluations threw or were not finite (dropped)`] : [];
        return { draws, info: { ...info }, warnings };
      },
    });
  } finally {
    await target.release?.();
  }
}

/**
 * Sequential Monte Carlo: particles drawn from the prior are tempered to the
 * posterior (next temperature by bisection on the ESS of the incremental
 * weights), resampled and moved by HMC at each stage. Several independent
 * runs (4) give the spread of the log evidence.
 *
 * @example
 * ```ts
 * const fit = await smc(eightSchools, data, { seed: 1 });
 * fit.info.logEvidence;    // log p(data)
 * fit.info.logEvidenceSe;  // its Monte-Carlo standard error, from the spread of the 4 runs
 * fit.draws.tau;           // number[]: the final particles of every run (each run is a chain)
 * ```
 */
export function smc<D, O extends Outputs>(mdl: Model<D, O>, data: D, opts: SmcOptions = {}): Promise<MethodFit<D, O, SmcInfo>> {
  return collectMethod(smcStream(mdl, data, opts), { model: mdl, data });
}
