/**
 * `laplace`: draws from the normal approximation at the posterior mode, as
 * CmdStan's `laplace` method: the mode by L-BFGS (or given), the Hessian of
 * log p there by finite differences of the gradient, then N(mode, (−H)⁻¹)
 * on the unconstrained scale, with `log_p__` and `log_q__` per draw.
 * @module
 */
import type { Model, Outputs } from "../../dsl/model.ts";
import type { Numeric } from "../../tensor/shape.ts";
import { LBFGS_DEFAULTS, lbfgs, type LbfgsOptions } from "../../inference/optimize/lbfgs.ts";
import { laplace as laplaceEngine } from "../../inference/optimize/laplace.ts";
import { OptimizeError } from "../../inference/optimize/errors.ts";
import type { SampleMessage } from "../../runtime/messages.ts";
import { collectMethod, type MethodFit } from "../methodFit.ts";
import { methodStream } from "./methodStream.ts";
import { type MethodOptions, prepare } from "./prepare.ts";

/** Options of {@link laplace}. */
export interface LaplaceOptions extends MethodOptions, LbfgsOptions {
  /** Draws from the approximation (1000, Stan's). */
  readonly draws?: number;
  /** Include the log-Jacobian (true, as Stan's `laplace`): the approximation is then of the unconstrained posterior. */
  readonly jacobian?: boolean;
  /** The mode, constrained, by site name (e.g. from {@link optimize} with the same `jacobian`); found by L-BFGS when absent. */
  readonly mode?: Readonly<Record<string, Numeric>>;
}

/** What {@link laplace} found beyond its draws. */
export interface LaplaceInfo {
  /** log p at the mode. */
  readonly logpMode: number;
  /** The covariance (−H)⁻¹ on the unconstrained scale, row by row. */
  readonly covariance: number[][];
  /** How the search for the mode ended (absent when the mode was given). */
  readonly optimizer?: string;
  /** Draws whose log density threw or was not finite. */
  readonly recovered: number;
  readonly jacobian: boolean;
}

/** The Laplace approximation's draws as a stream of messages (see `methodStream`). */
export async function* laplaceStream<D, O extends Outputs>(
  mdl: Model<D, O>,
  data: D,
  opts: LaplaceOptions = {},
): AsyncGenerator<SampleMessage> {
  const jacobian = opts.jacobian ?? true;
  const draws = opts.draws ?? 1000;
  if (!Number.isInteger(draws) || draws < 1) throw new RangeError(`draws must be an integer ≥ 1, got ${draws}`);
  const p = await prepare(mdl, data, { ...opts, backend: "js" }, { jacobian });
  const { seed: _s, init: _i, backend: _b, signal, jacobian: _j, draws: _d, mode, ...given } = opts;
  try {
    yield* methodStream({
      method: "laplace",
      density: p.density,
      seed: p.seed,
      chains: 1,
      draws,
      settings: { ...LBFGS_DEFAULTS, ...given, draws, jacobian, modeGiven: mode !== undefined },
      signal,
      run: async (hooks) => {
        let at = mode === undefined ? undefined : p.density.unconstrain(mode);
        let optimizer: string | undefined;
        if (at === undefined) {
          const found = lbfgs(p.density, p.init, { ...given, ...hooks });
          if (!found.converged)
            throw new OptimizeError(
              `laplace: no mode found: L-BFGS stopped after ${found.iterations} iterations at log p = ${found.logp.toPrecision(6)} (${found.message}). ` +
                "A density that grows without bound (a hierarchical scale going to 0, say) has no mode; otherwise pass one as `mode`",
            );
          at = found.x;
          optimizer = found.message;
        }
        const r = laplaceEngine(p.density, at, { draws, seed: p.seed, ...hooks });
        const d = p.density.dim;
        const info: LaplaceInfo = {
          logpMode: p.density.logp(r.mode),
          covariance: Array.from({ length: d }, (_, i) => Array.from(r.covariance.subarray(i * d, (i + 1) * d))),
          optimizer,
          recovered: r.recovered,
          jacobian,
        };
        const warnings = r.recovered > 0 ? [`${r.recovered} of ${draws} draws had a log density that threw or was not finite`] : [];
        return { draws: [r.draws], info: { ...info }, warnings };
      },
    });
  } finally {
    await p.release();
  }
}

/**
 * Draws from the normal approximation at the mode (CmdStan's `laplace`).
 *
 * @example
 * ```ts
 * const normal = model((m, d: { y: number[] }) => {
 *   const mu = m.sample("mu", m.normal(0, 10));
 *   m.observe("y", m.normal(mu, 1), d.y);
 *   return { mu };
 * });
 * const fit = await laplace(normal, { y: [1.2, 0.4, 2.1] }, { seed: 1, draws: 1000 });
 * fit.summary();                 // means and sds of the approximation's draws
 * fit.columns[0].log_q__;        // the approximation's log density at each draw
 * ```
 */
export function laplace<D, O extends Outputs>(mdl: Model<D, O>, data: D, opts: LaplaceOptions = {}): Promise<MethodFit<D, O, LaplaceInfo>> {
  return collectMethod(laplaceStream(mdl, data, opts), { model: mdl, data });
}
