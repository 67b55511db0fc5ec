/**
 * `pathfinder`: Pathfinder variational inference (Zhang et al. 2022), single-
 * or multi-path, as CmdStan's `pathfinder` method; multi-path draws are
 * combined by Pareto-smoothed importance resampling, with its k̂.
 * @module
 */
import type { Model, Outputs } from "../../dsl/model.ts";
import { khatVerdict } from "../../inference/diagnostics/psis.ts";
import { pathfinder as pathfinderEngine, type PathfinderOptions as EngineOptions } from "../../inference/pathfinder/pathfinder.ts";
import type { SampleMessage } from "../../runtime/messages.ts";
import { collectMethod, type MethodFit } from "../methodFit.ts";
import { methodStream } from "./methodStream.ts";
import { type MethodOptions, prepare } from "./prepare.ts";

/** Options of {@link pathfinder}: the engine's (Stan's defaults) and the common ones; `init` starts every path. */
export interface PathfinderOptions extends MethodOptions, Omit<EngineOptions, "seed" | "init" | "onProgress" | "signal"> {}

/** What {@link pathfinder} found beyond its draws. */
export interface PathfinderInfo {
  /** Pareto k̂ of the importance resampling (NaN without resampling). */
  readonly khat: number;
  /** Per path: whether it worked (and why not), its best ELBO and the iteration it came from. */
  readonly paths: readonly {
    readonly path: number;
    readonly ok: boolean;
    readonly reason?: string;
    readonly elbo: number;
    readonly bestIteration: number;
    readonly lbfgsIterations: number;
  }[];
  readonly gradientEvaluations: number;
  /** Points whose log density threw or was not finite. */
  readonly recovered: number;
}

/** Stan's defaults of the draws pathfinder reports: the resampled draws, or every path's. */
function drawCount(o: PathfinderOptions): number {
  const paths = o.paths ?? 4;
  return (o.psisResample ?? true) && paths > 1 ? (o.draws ?? 1000) : paths * (o.drawsPerPath ?? 1000);
}

/** Pathfinder as a stream of messages (see `methodStream`). */
export async function* pathfinderStream<D, O extends Outputs>(
  mdl: Model<D, O>,
  data: D,
  opts: PathfinderOptions = {},
): AsyncGenerator<SampleMessage> {
  const p = await prepare(mdl, data, opts);
  const { seed: _s, init, backend: _b, signal, ...given } = opts;
  const paths = given.paths ?? 4;
  try {
    yield* methodStream({
      method: "pathfinder",
      density: p.density,
      seed: p.seed,
      chains: 1,
      draws: drawCount(opts),
      settings: { ...given, paths, backend: opts.backend ?? "js" },
      signal,
      run: async (hooks) => {
        // With the ONNX backend the density is onnxruntime's, which batches each ELBO's draws in one call.
        const r = await pathfinderEngine(p.density, {
          ...given,
          seed: p.seed,
          init: init === undefined ? undefined : Array.from({ length: paths }, () => p.init),
          ...hooks,
        });
        const info: PathfinderInfo = {
          khat: r.khat,
          paths: r.paths.map(({ path, ok, reason, elbo, bestIteration, lbfgsIterations }) => ({
            path,
            ok,
            ...(reason === undefined ? {} : { reason }),
            elbo,
            bestIteration,
            lbfgsIterations,
          })),
          gradientEvaluations: r.gradientEvaluations,
          recovered: r.recovered,
        };
        const warnings: string[] = [];
        if (Number.isFinite(r.khat) && r.khat > 0.7)
          warnings.push(
            `Pareto k̂ = ${r.khat.toFixed(2)} (${khatVerdict(r.khat)}): the approximation is far from the posterior; treat the draws with suspicion`,
          );
        for (const path of r.paths) if (!path.ok) warnings.push(`path ${path.path} failed: ${path.reason ?? "no reason given"}`);
        return { draws: [r.draws], info: { ...info }, warnings };
      },
    });
  } finally {
    await p.release();
  }
}

/**
 * Pathfinder (CmdStan's `pathfinder`): L-BFGS paths from random inits, the
 * normal approximation with the best ELBO along each, and, with several
 * paths (4), Pareto-smoothed importance resampling of their draws.
 *
 * @example
 * ```ts
 * const fit = await pathfinder(eightSchools, data, { seed: 1 });
 * fit.info.khat;   // below 0.7: the importance resampling can be trusted
 * fit.summary();
 * ```
 */
export function pathfinder<D, O extends Outputs>(
  mdl: Model<D, O>,
  data: D,
  opts: PathfinderOptions = {},
): Promise<MethodFit<D, O, PathfinderInfo>> {
  return collectMethod(pathfinderStream(mdl, data, opts), { model: mdl, data });
}
