/**
 * `advi`: automatic differentiation variational inference, mean-field or
 * full-rank, as CmdStan's `variational` method; the Monte-Carlo gradients
 * of each iteration are one batched density call (one onnxruntime call on
 * the ONNX backend).
 * @module
 */
import type { Model, Outputs } from "../../dsl/model.ts";
import { advi as adviEngine, type AdviApproximation, type AdviOptions as EngineOptions } from "../../inference/advi/advi.ts";
import type { SampleMessage } from "../../runtime/messages.ts";
import { collectMethod, type MethodFit } from "../methodFit.ts";
import { methodStream } from "./methodStream.ts";
import { type MethodOptions, prepare } from "./prepare.ts";
import { requireParameters } from "../requireParameters.ts";

/** Options of {@link advi}: the engine's (Stan's defaults) and the common ones. */
export interface AdviOptions extends MethodOptions, Omit<EngineOptions, "seed" | "init" | "onProgress" | "signal"> {}

/** What {@link advi} found beyond its draws. */
export interface AdviInfo {
  readonly algorithm: "meanfield" | "fullrank";
  /** The approximation's mean, constrained, in the value layout's order. */
  readonly mean: number[];
  /** The approximation on the unconstrained scale: mu, and omega (log sd) or L (row by row). */
  readonly approximation: Readonly<Record<string, unknown>>;
  readonly eta: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly message: string;
  /** The ELBO at each evaluation, with its relative changes. */
  readonly elbo: readonly { readonly iter: number; readonly elbo: number; readonly relMean: number; readonly relMedian: number }[];
  readonly gradientEvaluations: number;
  /** Monte-Carlo draws dropped because their log density threw or was not finite. */
  readonly recovered: number;
}

/** The approximation as plain JSON. */
function plainApproximation(a: AdviApproximation): Record<string, unknown> {
  return a.kind === "meanfield"
    ? { kind: a.kind, mu: Array.from(a.mu), omega: Array.from(a.omega) }
    : { kind: a.kind, mu: Array.from(a.mu), L: Array.from(a.L) };
}

/** ADVI as a stream of messages (see `methodStream`). */
export async function* adviStream<D, O extends Outputs>(mdl: Model<D, O>, data: D, opts: AdviOptions = {}): AsyncGenerator<SampleMessage> {
  const p = await prepare(mdl, data, opts);
  const { seed: _s, init: _i, backend: _b, signal, ...given } = opts;
  const algorithm = given.algorithm ?? "meanfield";
  const draws = given.outputDraws ?? 1000;
  try {
    requireParameters(p.density, "ADVI");
    yield* methodStream({
      method: "variational",
      density: p.density,
      seed: p.seed,
      chains: 1,
      draws,
      settings: { ...given, algorithm, outputDraws: draws, backend: opts.backend ?? "js" },
      signal,
      run: async (hooks) => {
        const r = await adviEngine(p.batch, { ...given, seed: p.seed, init: p.init, ...hooks });
        const info: AdviInfo = {
          algorithm,
          mean: Array.from(p.density.constrain(r.approximation.mu)),
          approximation: plainApproximation(r.approximation),
          eta: r.eta,
          iterations: r.iterations,
          converged: r.converged,
          message: r.message,
          elbo: r.elbo,
          gradientEvaluations: r.gradientEvaluations,
          recovered: r.recovered,
        };
        const warnings = r.converged ? [] : [`ADVI did not converge: ${r.message}`];
        return { draws: [r.draws], info: { ...info }, warnings };
      },
    });
  } finally {
    await p.release();
  }
}

/**
 * Automatic differentiation variational inference (CmdStan's `variational`):
 * a normal approximation on the unconstrained scale, mean-field (default) or
 * full-rank, fitted by stochastic gradient ascent on the ELBO, then draws from it.
 * Mean-field under-estimates posterior variances where parameters correlate.
 *
 * @example
 * ```ts
 * const fit = await advi(eightSchools, data, { algorithm: "fullrank", seed: 1 });
 * fit.info.elbo.at(-1);          // the last ELBO evaluation
 * fit.summary();
 * ```
 * @throws AdviError when the ELBO diverges; it carries the best approximation so far.
 */
export function advi<D, O extends Outputs>(mdl: Model<D, O>, data: D, opts: AdviOptions = {}): Promise<MethodFit<D, O, AdviInfo>> {
  return collectMethod(adviStream(mdl, data, opts), { model: mdl, data });
}
