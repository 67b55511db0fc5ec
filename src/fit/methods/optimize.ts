/**
 * `optimize`: the posterior mode by L-BFGS on the unconstrained scale, as
 * CmdStan's `optimize` method (without the log-Jacobian by default: the
 * mode of the constrained parameters; `jacobian: true` gives the mode on the
 * unconstrained scale, Stan's `jacobian=1`).
 * @module
 */
import type { Model, Outputs } from "../../dsl/model.ts";
import { LBFGS_DEFAULTS, lbfgs, type LbfgsOptions } from "../../inference/optimize/lbfgs.ts";
import type { SampleMessage } from "../../runtime/messages.ts";
import { collectMethod, type MethodFit } from "../methodFit.ts";
import { methodStream } from "./methodStream.ts";
import { type MethodOptions, prepare } from "./prepare.ts";

/** Options of {@link optimize}: L-BFGS's (Stan's defaults) and the Jacobian. */
export interface OptimizeOptions extends MethodOptions, LbfgsOptions {
  /** Include the log-Jacobian of the transforms (false, as Stan's `jacobian=0`): false finds the mode of the constrained parameters. */
  readonly jacobian?: boolean;
}

/** What {@link optimize} found beyond the mode. */
export interface OptimizeInfo {
  /** A convergence test passed (false: the iteration limit, or the line search could make no more progress). */
  readonly converged: boolean;
  /** Stan's words for how it ended. */
  readonly message: string;
  /** log p at the mode (with the log-Jacobian when `jacobian`). */
  readonly logp: number;
  readonly iterations: number;
  /** Gradient evaluations, line search included. */
  readonly gradientEvaluations: number;
  /** Line-search trial points whose density threw or was not finite. */
  readonly recovered: number;
  readonly jacobian: boolean;
}

/** The mode as a stream of messages (see `methodStream`): one draw, the mode, with its `lp__`. */
export async function* optimizeStream<D, O extends Outputs>(
  mdl: Model<D, O>,
  data: D,
  opts: OptimizeOptions = {},
): AsyncGenerator<SampleMessage> {
  const jacobian = opts.jacobian ?? false;
  const p = await prepare(mdl, data, { ...opts, backend: "js" }, { jacobian });
  const { seed: _s, init: _i, backend: _b, signal, jacobian: _j, ...given } = opts;
  const settings = { ...LBFGS_DEFAULTS, ...given, jacobian };
  try {
    yield* methodStream({
      method: "optimize",
      density: p.density,
      seed: p.seed,
      chains: 1,
      draws: 1,
      settings,
      signal,
      run: async (hooks) => {
        const r = lbfgs(p.density, p.init, { ...given, ...hooks });
        const info: OptimizeInfo = {
          converged: r.converged,
          message: r.message,
          logp: r.logp,
          iterations: r.iterations,
          gradientEvaluations: r.evaluations,
          recovered: r.recovered,
          jacobian,
        };
        return {
          draws: [{ dim: p.density.dim, n: 1, points: r.x, columns: { lp__: Float64Array.of(r.logp) } }],
          info: { ...info },
          warnings: r.converged ? [] : [`L-BFGS did not converge: ${r.message}`],
        };
      },
    });
  } finally {
    await p.release();
  }
}

/**
 * The posterior mode by L-BFGS (CmdStan's `optimize`, same defaults and
 * convergence tests). The fit holds one draw: the mode.
 *
 * @example
 * ```ts
 * const mode = await optimize(eightSchools, data, { seed: 1 });
 * mode.draws.mu[0];          // the mode of mu
 * mode.info.message;         // e.g. "Convergence detected: relative gradient magnitude is below tolerance"
 * ```
 */
export function optimize<D, O extends Outputs>(
  mdl: Model<D, O>,
  data: D,
  opts: OptimizeOptions = {},
): Promise<MethodFit<D, O, OptimizeInfo>> {
  return collectMethod(optimizeStream(mdl, data, opts), { model: mdl, data });
}
