/**
 * Automatic differentiation variational inference (Kucukelbir et al. 2017)
 * as Stan runs it (`stan/variational/advi.hpp`, CmdStan's `variational`
 * method): a normal approximation on the unconstrained scale, mean-field
 * or full-rank, fitted by stochastic gradient ascent on the ELBO with
 * reparameterization gradients, Stan's adaptive step-size sequence and its
 * eta search, and convergence by relative ELBO change; then draws from it.
 * Every Monte-Carlo estimate is one `logpGradBatch` call.
 * @module
 */
import type { BatchDensity } from "../../codegen/batch.ts";
import { Rng } from "../../random/rng.ts";
import type { EngineDraws, EngineRunOptions } from "../engine.ts";
import { ascend } from "./ascent.ts";
import { type AdviContext, Best, Pacer } from "./context.ts";
import type { ElboRecord } from "./convergence.ts";
import { searchEta } from "./etaSearch.ts";
import { type AdviApproximation, fullrank, meanfield } from "./family.ts";
import { MonteCarlo } from "./monteCarlo.ts";

export type { AdviApproximation } from "./family.ts";

/** Options of {@link advi}; the defaults are CmdStan's. */
export interface AdviOptions extends EngineRunOptions {
  /** The family: independent normals ("meanfield", the default) or a full covariance ("fullrank"). */
  readonly algorithm?: "meanfield" | "fullrank";
  /** Seed of the random stream (stream 1 of it). */
  readonly seed: number;
  /** The approximation's initial mean (unconstrained); uniform(−2, 2) draws when absent, as Stan's default. */
  readonly init?: Float64Array;
  /** Monte-Carlo draws per ELBO gradient (grad_samples, 1). */
  readonly gradSamples?: number;
  /** Monte-Carlo draws per ELBO estimate (elbo_samples, 100). */
  readonly elboSamples?: number;
  /** The step-size scale; when absent it is searched for (adapt engaged), as Stan's default. */
  readonly eta?: number;
  /** Iterations per eta tried by the search (adapt iter, 50). */
  readonly adaptIterations?: number;
  /** Relative ELBO change at which the run has converged (tol_rel_obj, 0.01). */
  readonly tolRelObj?: number;
  /** Iterations between ELBO evaluations (eval_elbo, 100). */
  readonly evalElbo?: number;
  /** Iterations at most (iter, 10000). */
  readonly maxIterations?: number;
  /** Draws from the approximation to return (output_samples, 1000). */
  readonly outputDraws?: number;
}

/** The outcome of {@link advi}. */
export interface AdviResult {
  /** The fitted approximation on the unconstrained scale. */
  readonly approximation: AdviApproximation;
  /** The step-size scale used (given or found by the search). */
  readonly eta: number;
  /** Iterations of stochastic gradient ascent (the eta search not included). */
  readonly iterations: number;
  /** Whether the mean or median relative ELBO change fell below tolRelObj. */
  readonly converged: boolean;
  /** Stan's notes on the end of the run ("MEAN ELBO CONVERGED", "MEDIAN ELBO CONVERGED", or the maximum iterations message). */
  readonly message: string;
  /** Every ELBO evaluation of the ascent, with its relative changes. */
  readonly elbo: readonly ElboRecord[];
  /** `outputDraws` draws from the approximation, with columns `log_p__` (log p) and `log_g__` (−½‖η‖², as Stan writes it). */
  readonly draws: EngineDraws;
  /**
   * Monte-Carlo draws of the ascent and output whose log density or
   * gradient was not finite: dropped from their estimate (output draws:
   * kept, counted). The eta search's trials are not counted: a too-large
   * eta that blows the approximation up is what the search is for.
   */
  readonly recovered: number;
  /** Points the density evaluated (each with its gradient): gradients, ELBO estimates and output draws. */
  readonly gradientEvaluations: number;
}

/** A positive integer option, or a RangeError naming it. */
function count(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`advi: ${name} must be a positive integer, got ${v}`);
  return v;
}

/** A positive finite option, or a RangeError naming it. */
function positive(name: string, value: number): number {
  if (!(value > 0 && Number.isFinite(value))) throw new RangeError(`advi: ${name} must be positive and finite, got ${value}`);
  return value;
}

/**
 * Fits a normal approximation to `density` by ADVI and draws from it.
 * @throws AdviError when the ELBO diverges or cannot be computed, or no eta works; it carries the best approximation so far.
 * @throws RangeError for an option out of range or an init of the wrong length.
 */
export async function advi(density: BatchDensity, opts: AdviOptions): Promise<AdviResult> {
  opts.signal?.throwIfAborted();
  const d = density.dim;
  const gradSamples = count("gradSamples", opts.gradSamples, 1);
  const elboSamples = count("elboSamples", opts.elboSamples, 100);
  const adaptIterations = count("adaptIterations", opts.adaptIterations, 50);
  const evalElbo = count("evalElbo", opts.evalElbo, 100);
  const maxIterations = count("maxIterations", opts.maxIterations, 10000);
  const outputDraws = count("outputDraws", opts.outputDraws, 1000);
  const tolRelObj = positive("tolRelObj", opts.tolRelObj ?? 0.01);
  if (opts.eta !== undefined) positive("eta", opts.eta);
  if (opts.init !== undefined && opts.init.length !== d) {
    throw new RangeError(`advi: init has length ${opts.init.length}, the density's dimension is ${d}`);
  }

  const rng = new Rng(opts.seed, 1);
  const init = opts.init ?? Float64Array.from({ length: d }, () => 4 * rng.uniform() - 2);
  const family = (opts.algorithm ?? "meanfield") === "fullrank" ? fullrank(d) : meanfield(d);
  const initial = family.initial(init);
  const ctx: AdviContext = {
    family,
    mc: new MonteCarlo(density, family, rng),
    gradSamples,
    elboSamples,
    best: new Best(family, initial),
    pacer: new Pacer(opts.signal),
    onProgress: opts.onProgress,
  };

  const eta = opts.eta ?? (await searchEta(ctx, initial, adaptIterations));
  const searchRecovered = ctx.mc.recovered;
  const params = initial.slice();
  const info = await ascend(ctx, params, { eta, tolRelObj, evalElbo, maxIterations });
  const draws = await ctx.mc.draws(params, outputDraws);
  return {
    approximation: family.approximation(params),
    eta,
    ...info,
    draws,
    recovered: ctx.mc.recovered - searchRecovered,
    gradientEvaluations: ctx.mc.gradientEvaluations,
  };
}
