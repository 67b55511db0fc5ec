/**
 * Starting lockstep chains: initial points and the initial step size, each
 * evaluated for all chains in one batch call per round.
 * @module
 */
import type { BatchDensity } from "../../codegen/batch.ts";
import { SamplerError } from "../../errors.ts";
import type { Rng } from "../../random/rng.ts";
// Chain's numbers, drawn in the same order from the same stream: lockstep chain k starts where NUTS chain k does (a test checks it).
import { INIT_CANDIDATES, INIT_TRIES } from "../chain.ts";
import { acceptProbability, stepSizeSearch } from "../adapt/stepSize.ts";
import { drift, energy, kick } from "../hmc/integrator.ts";
import { diagMetric } from "../hmc/metric.ts";
import { evaluateState, type LockstepState, newState, sanitize } from "./kernel.ts";

/**
 * Sets every chain's position (with log density and gradient) to the best
 * (highest log density) of INIT_CANDIDATES uniform draws in (−2, 2) with a
 * finite log density and gradient, drawn from chain c's stream `rngs[c]`;
 * or to `init` (one point for all chains, or n × dim values) when given.
 * Round r evaluates every chain's r-th try in one batch call.
 */
export async function initialize(density: BatchDensity, state: LockstepState, rngs: readonly Rng[], init?: Float64Array): Promise<void> {
  const { n, dim: d } = state;
  if (init !== undefined) {
    if (init.length !== d && init.length !== n * d) throw new RangeError(`init must have ${d} or ${n} × ${d} values, got ${init.length}`);
    for (let c = 0; c < n; c++) state.q.set(init.length === d ? init : init.subarray(c * d, (c + 1) * d), c * d);
    const ok = await evaluateState(density, state);
    const bad = ok.indexOf(false);
    if (bad >= 0) throw new SamplerError(bad + 1, "the log density or its gradient is not finite at the given initial point");
    return;
  }
  const tries = newState(n, d);
  const found = new Array<number>(n).fill(0);
  state.lp.fill(-Infinity);
  for (let t = 0; t < INIT_TRIES; t++) {
    const drawing = found.map((f) => f < INIT_CANDIDATES);
    if (!drawing.includes(true)) break;
    for (let c = 0; c < n; c++) {
      // A chain that has its candidates re-submits its best point: the batch keeps its shape.
      if (drawing[c]) for (let i = c * d; i < (c + 1) * d; i++) tries.q[i] = 4 * rngs[c].uniform() - 2;
      else tries.q.set(state.q.subarray(c * d, (c + 1) * d), c * d);
    }
    await density.logpGradBatch(tries.q, n, tries.lp, tries.g);
    for (let c = 0; c < n; c++) {
      if (!drawing[c] || !sanitize(tries.lp, tries.g, c, d)) continue;
      found[c]++;
      if (tries.lp[c] > state.lp[c]) {
        state.lp[c] = tries.lp[c];
        state.q.set(tries.q.subarray(c * d, (c + 1) * d), c * d);
        state.g.set(tries.g.subarray(c * d, (c + 1) * d), c * d);
      }
    }
  }
  const none = found.indexOf(0);
  if (none >= 0) throw new SamplerError(none + 1, `no finite log density and gradient at ${INIT_TRIES} random initial points in (−2, 2)`);
}

/** The harmonic mean of the acceptance probabilities `a` over the chains where `use` holds (0 when any is 0). */
export function harmonicMean(a: Float64Array, use: (c: number) => boolean = () => true): number {
  let inv = 0;
  let m = 0;
  for (let c = 0; c < a.length; c++) {
    if (!use(c)) continue;
    m++;
    inv += 1 / a[c];
  }
  const h = m / inv;
  return Number.isFinite(h) ? h : 0;
}

/**
 * Stan's step-size heuristic (`adapt/stepSize.ts`) over all chains at once:
 * the acceptance probability of each trial is the harmonic mean over the
 * chains of one leapfrog step from each chain's position (momenta drawn from
 * each chain's stream), one batch call per trial. The chains do not move.
 */
export async function batchInitStepSize(
  density: BatchDensity,
  state: LockstepState,
  rngs: readonly Rng[],
  invMetric: Float64Array,
  eps: number,
): Promise<number> {
  const { n, dim: d } = state;
  const metric = diagMetric(invMetric);
  const z = newState(n, d);
  const p = new Float64Array(n * d);
  const v = new Float64Array(n * d);
  const h0 = new Float64Array(n);
  const accept = new Float64Array(n);
  const search = stepSizeSearch(eps);
  for (let r = search.next(); ;) {
    if (r.done === true) return r.value;
    const e = r.value;
    z.q.set(state.q);
    for (let c = 0; c < n; c++) {
      metric.sampleMomentum(rngs[c], p, c * d);
      h0[c] = energy(state.lp[c], metric, p, c * d);
      kick(p, state.g, 0.5 * e, c * d, d);
      drift(metric, z.q, p, e, v, c * d);
    }
    await density.logpGradBatch(z.q, n, z.lp, z.g);
    for (let c = 0; c < n; c++) {
      if (!sanitize(z.lp, z.g, c, d)) {
        accept[c] = 0;
        continue;
      }
      kick(p, z.g, 0.5 * e, c * d, d);
      accept[c] = acceptProbability(h0[c], energy(z.lp[c], metric, p, c * d));
    }
    r = search.next(harmonicMean(accept));
  }
}
