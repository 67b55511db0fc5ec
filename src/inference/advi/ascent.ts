/**
 * ADVI's main loop, as Stan's `stochastic_gradient_ascent`: a Monte-Carlo
 * ELBO gradient and an adaptive step each iteration, the ELBO every
 * `evalElbo` iterations, until the relative ELBO change converges or
 * `maxIterations` is reached.
 * @module
 */
import { type AdviContext, ILL_CONDITIONED } from "./context.ts";
import { type ElboRecord, ElboTrace, NOTES, notesOf } from "./convergence.ts";
import { stepSizeInit, stepSizeUpdate } from "./stepSize.ts";

/** Settings of {@link ascend}. */
export interface AscentSettings {
  readonly eta: number;
  readonly tolRelObj: number;
  readonly evalElbo: number;
  readonly maxIterations: number;
}

/** How the ascent ended. */
export interface AscentInfo {
  readonly iterations: number;
  readonly converged: boolean;
  readonly message: string;
  readonly elbo: readonly ElboRecord[];
}

/** The evaluations {@link drifting} looks back over: Stan's note needs more than 10. */
const DRIFT_WINDOW = 10;

/**
 * Whether the ELBO moved, over the last {@link DRIFT_WINDOW} evaluations,
 * by more than 4 standard errors of the two estimates. Stan's "may be
 * diverging" note compares relative changes with 0.5, so an ELBO that has
 * settled near 0 raises it from Monte-Carlo noise alone; the run fails on
 * the note only when the ELBO is also still moving.
 */
function drifting(estimates: readonly { readonly elbo: number; readonly se: number }[]): boolean {
  const last = estimates[estimates.length - 1];
  const before = estimates[Math.max(estimates.length - 1 - DRIFT_WINDOW, 0)];
  return Math.abs(last.elbo - before.elbo) > 4 * Math.hypot(last.se, before.se);
}

const MAX_ITERATIONS_REACHED = "The maximum number of iterations is reached! The algorithm may not have converged.";
const WORSE_THAN_BEFORE =
  "The ELBO at a previous iteration is larger than the ELBO upon convergence! This variational approximation may not have converged to a good optimum.";

/**
 * Runs stochastic gradient ascent from `params` (mutated to the result).
 * Throws an `AdviError` with the best approximation when a gradient has no
 * usable draw, the parameters or the ELBO become non-finite, or the run ends
 * unconverged with Stan's "may be diverging" note on its last evaluation and
 * an ELBO still moving beyond its Monte-Carlo noise.
 */
export async function ascend(ctx: AdviContext, params: Float64Array, s: AscentSettings): Promise<AscentInfo> {
  const { family, mc, best } = ctx;
  const grad = new Float64Array(family.size);
  const steps = stepSizeInit(family.size);
  const trace = new ElboTrace(ElboTrace.capacityFor(s.maxIterations, s.evalElbo));
  const records: ElboRecord[] = [];
  let elboBest = Number.NEGATIVE_INFINITY;
  let notes: string[] = [];
  const estimates: { elbo: number; se: number }[] = [];
  for (let iter = 1; iter <= s.maxIterations; iter++) {
    if (!(await mc.gradient(params, ctx.gradSamples, grad))) {
      throw best.error(
        `ADVI: no usable draw for the ELBO gradient at iteration ${iter} in ${10 * ctx.gradSamples} tries (log density or gradient not finite). ${ILL_CONDITIONED}`,
      );
    }
    stepSizeUpdate(steps, params, grad, s.eta);
    if (!params.every(Number.isFinite)) {
      throw best.error(`ADVI diverged: the approximation's parameters are not finite at iteration ${iter} (eta ${s.eta}).`);
    }
    if (iter % s.evalElbo === 0) {
      const { elbo, se } = await mc.elbo(params, ctx.elboSamples);
      if (!Number.isFinite(elbo)) {
        throw best.error(`ADVI diverged: the ELBO is ${elbo} at iteration ${iter} (eta ${s.eta}). ${ILL_CONDITIONED}`);
      }
      best.offer(params, elbo);
      elboBest = Math.max(elboBest, elbo);
      estimates.push({ elbo, se });
      const r = trace.record(iter, elbo);
      records.push(r);
      notes = notesOf(r, s.tolRelObj, s.evalElbo);
      ctx.onProgress?.({ phase: "elbo", iter, total: s.maxIterations, metrics: { elbo, relMean: r.relMean, relMedian: r.relMedian } });
      if (notes.includes(NOTES.mean) || notes.includes(NOTES.median)) {
        const worse = Math.abs((elboBest - elbo) / elbo) > 0.05 ? [WORSE_THAN_BEFORE] : [];
        return { iterations: iter, converged: true, message: [...notes, ...worse].join(". "), elbo: records };
      }
    }
    await ctx.pacer.tick();
  }
  if (notes.includes(NOTES.diverging) && drifting(estimates)) {
    const last = records[records.length - 1];
    throw best.error(
      `ADVI diverged: the ELBO kept changing (relative change mean ${last.relMean.toPrecision(3)}, median ${last.relMedian.toPrecision(3)}) up to iteration ${s.maxIterations}: ${NOTES.diverging}.`,
    );
  }
  return { iterations: s.maxIterations, converged: false, message: MAX_ITERATIONS_REACHED, elbo: records };
}
