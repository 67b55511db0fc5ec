/**
 * Stan's step-size heuristic: from ε, double or halve until one leapfrog
 * step crosses an acceptance probability of 0.8. The search is written once
 * ({@link stepSizeSearch}); a single chain drives it with one point
 * ({@link initStepSize}), lockstep chains with the harmonic mean over all
 * chains of one batch call (`lockstep/init.ts`).
 * @module
 */
import type { LogDensity } from "../../codegen/density.ts";
import { SamplerError } from "../../errors.ts";
import type { Rng } from "../../random/rng.ts";
import { energy, leapfrog } from "../hmc/integrator.ts";
import type { Metric } from "../hmc/metric.ts";
import { copyPoint, newPoint, type Point } from "../hmc/point.ts";

/** The acceptance probability the heuristic brackets. */
const TARGET = 0.8;

/**
 * The search: yields each step size to try and is sent the acceptance
 * probability of one leapfrog step of that size (fresh momenta each time);
 * returns the step size at which it crossed 0.8.
 */
export function* stepSizeSearch(eps: number): Generator<number, number, number> {
  if (!(eps > 0 && eps <= 1e7)) throw new SamplerError(undefined, `the step-size search needs a start in (0, 1e7], got ${eps}`);
  const direction = (yield eps) > TARGET ? 1 : -1;
  for (;;) {
    const a = yield eps;
    if (direction === 1 ? !(a > TARGET) : !(a < TARGET)) return eps;
    eps = direction === 1 ? 2 * eps : 0.5 * eps;
    if (eps > 1e7) throw new SamplerError(undefined, "the step size grows without bound: the posterior looks improper (check the priors)");
    if (eps === 0)
      throw new SamplerError(undefined, "no step size is small enough: the log density has no usable gradient at the initial point");
  }
}

/** min(1, exp(h₀ − h)): the acceptance probability of a move from energy h₀ to h (0 where h is +∞). */
export function acceptProbability(h0: number, h: number): number {
  const a = Math.exp(h0 - h);
  return a < 1 ? a : 1;
}

/** The heuristic's step size for one chain at `current` (left unchanged), starting from `eps`. */
export function initStepSize(density: LogDensity, metric: Metric, current: Point, eps: number, rng: Rng): number {
  const z = newPoint(current.q.length);
  const v = new Float64Array(current.q.length);
  const search = stepSizeSearch(eps);
  for (let r = search.next(); ;) {
    if (r.done === true) return r.value;
    copyPoint(z, current);
    metric.sampleMomentum(rng, z.p);
    const h0 = energy(z.lp, metric, z.p);
    leapfrog(density, metric, z, r.value, v);
    r = search.next(acceptProbability(h0, energy(z.lp, metric, z.p)));
  }
}
