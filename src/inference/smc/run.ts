/**
 * One SMC run with adaptive tempering: from N prior draws (β = 0) to the
 * posterior (β = 1) through stages of reweighting (next β by bisection on
 * the ESS), systematic resampling and HMC mutation, accumulating the log
 * evidence log Z = Σ_stages log mean_i exp((β' − β) · log Lᵢ).
 * @module
 */
import type { Rng } from "../../random/rng.ts";
import type { EngineProgress } from "../engine.ts";
import { newState } from "../lockstep/kernel.ts";
import { weightedVariance } from "./cloud.ts";
import { SmcError } from "./errors.ts";
import { Mutation, type MutationSettings } from "./mutate.ts";
import { systematic } from "./resample.ts";
import type { Tempered } from "./tempered.ts";
import { nextBeta } from "./temperature.ts";

/** What one run produced. */
export interface SmcRun {
  /** Its estimate of log Z, the log marginal likelihood. */
  readonly logEvidence: number;
  /** The inverse temperatures, from 0 to 1. */
  readonly betas: readonly number[];
  /** Stages (reweight, resample, mutate), betas.length − 1. */
  readonly stages: number;
  /** Per stage, the mean acceptance probability of its HMC moves. */
  readonly acceptance: readonly number[];
  /** Per stage, the HMC moves made. */
  readonly moves: readonly number[];
  /** The final particles on the unconstrained scale, row-major (N × dim), equally weighted. */
  readonly points: Float64Array;
  /** log posterior density at each final particle (`lp__`). */
  readonly lp: Float64Array;
  /** log L = log posterior − log prior at each final particle (`log_lik__`). */
  readonly logLik: Float64Array;
  /** Particles dropped or moves rejected because a density threw or was not finite. */
  readonly recovered: number;
}

/** The settings of a run. */
export interface RunSettings extends MutationSettings {
  readonly particles: number;
  readonly essThreshold: number;
  readonly maxStages: number;
}

/** The starting cloud and how to report. */
export interface RunInput {
  /** 1-based index of the run, for messages and progress. */
  readonly run: number;
  /** The prior draws, row-major (N × dim). */
  readonly initial: Float64Array;
  readonly rng: Rng;
  readonly onProgress?: (p: EngineProgress) => void;
}

/**
 * log Lᵢ of the particles just evaluated: −∞ where a coordinate, either
 * density or a gradient is not finite. Returns how many failed.
 */
function logLikelihoods(tempered: Tempered, points: Float64Array, n: number, out: Float64Array): number {
  const d = tempered.dim;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    let ok = tempered.ok(i);
    for (let j = 0; ok && j < d; j++) ok = Number.isFinite(points[i * d + j]);
    out[i] = ok ? tempered.lpPost[i] - tempered.lpPrior[i] : -Infinity;
    if (!ok) bad++;
  }
  return bad;
}

/**
 * Runs SMC from the prior draws in `input` to β = 1.
 *
 * A particle where a density throws or is not finite gets weight 0 at the
 * first reweighting (it is not a valid prior draw: it leaves the
 * evidence's average too) and is counted in `recovered`, as are moves
 * rejected because the density failed along their trajectory.
 * Internal: `smc` (smc.ts) calls it once per run.
 */
export async function smcRun(tempered: Tempered, settings: RunSettings, input: RunInput): Promise<SmcRun> {
  const { particles: n, essThreshold, maxStages } = settings;
  const d = tempered.dim;
  const x = input.initial.slice();
  const logL = new Float64Array(n);
  const weights = new Float64Array(n);
  const invMetric = new Float64Array(d).fill(1);
  const state = newState(n, d);
  const mutation = new Mutation(tempered, n, input.rng, settings);
  await tempered.evaluate(x, n);
  let recovered = logLikelihoods(tempered, x, n, logL);
  // The first average is over the valid prior draws only.
  let denominator = n - recovered;
  let beta = 0;
  let logZ = 0;
  const betas = [0];
  const acceptance: number[] = [];
  const moves: number[] = [];
  while (beta < 1) {
    const stage = betas.length;
    if (denominator === 0)
      throw new SmcError(input.run, stage - 1, `every one of the ${n} particles has a non-finite log density (prior or posterior)`);
    if (stage > maxStages)
      throw new SmcError(input.run, stage - 1, `the temperature reached only β = ${beta} within maxStages = ${maxStages} stages`);
    const next = nextBeta(logL, beta, essThreshold);
    const delta = next.beta - beta;
    // Incremental log weights, shifted by their maximum: weights normalized, log Z increment exact.
    let m = -Infinity;
    for (const l of logL) if (l > m) m = l;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += weights[i] = logL[i] === -Infinity ? 0 : Math.exp(delta * (logL[i] - m));
    if (!(sum > 0 && Number.isFinite(sum))) throw new SmcError(input.run, stage, "every particle's weight vanished");
    logZ += delta * m + Math.log(sum / denominator);
    denominator = n;
    for (let i = 0; i < n; i++) weights[i] /= sum;
    weightedVariance(x, weights, n, d, invMetric);
    const ancestors = systematic(weights, n, input.rng);
    // The resampled cloud at β' (log π_β' and gradient from the last evaluation): where the HMC moves start.
    tempered.beta = beta = next.beta;
    for (let k = 0; k < n; k++) {
      const a = ancestors[k];
      state.q.set(x.subarray(a * d, (a + 1) * d), k * d);
      tempered.combine(a, state.lp, state.g, k);
    }
    const info = await mutation.mutate(state, invMetric);
    recovered += info.recovered;
    x.set(state.q);
    await tempered.evaluate(x, n);
    // Every particle started finite and a move only lands on finite points, so none fails here.
    recovered += logLikelihoods(tempered, x, n, logL);
    betas.push(beta);
    acceptance.push(info.acceptance);
    moves.push(info.moves);
    input.onProgress?.({
      phase: `run ${input.run}`,
      iter: stage,
      metrics: { beta, ess: next.ess, acceptance: info.acceptance, logEvidence: logZ },
    });
  }
  return {
    logEvidence: logZ,
    betas,
    stages: betas.length - 1,
    acceptance,
    moves,
    points: x,
    lp: tempered.lpPost.slice(0, n),
    logLik: logL,
    recovered,
  };
}
