/**
 * Stan's step-size heuristic: double or halve ε until one leapfrog step from
 * the current point crosses an acceptance probability of 0.8.
 * @module
 */
import type { LogDensity } from "../../codegen/density.ts";
import type { Rng } from "../../random/rng.ts";
import { SamplerError } from "../../errors.ts";
import { hamiltonian, leapfrog } from "../hmc/leapfrog.ts";
import type { Metric } from "../hmc/metric.ts";
import { copyPoint, newPoint, type Point } from "../hmc/point.ts";

const LOG_08 = Math.log(0.8);

/** The step size after the heuristic, starting from `eps` at `current` (left unchanged). */
export function initStepSize(density: LogDensity, metric: Metric, current: Point, eps: number, rng: Rng): number {
  const z = newPoint(current.q.length);
  const v = new Float64Array(current.q.length);
  const deltaH = (): number => {
    copyPoint(z, current);
    metric.sampleMomentum(rng, z.p);
    const h0 = hamiltonian(metric, z);
    leapfrog(density, metric, z, eps, v);
    return h0 - hamiltonian(metric, z);
  };
  const direction = deltaH() > LOG_08 ? 1 : -1;
  for (;;) {
    const dh = deltaH();
    if (direction === 1 ? !(dh > LOG_08) : !(dh < LOG_08)) return eps;
    eps = direction === 1 ? 2 * eps : 0.5 * eps;
    if (eps > 1e7) throw new SamplerError(undefined, "the step size grows without bound: the posterior looks improper (check the priors)");
    if (eps === 0) throw new SamplerError(undefined, "no step size is small enough: the log density has no usable gradient at the initial point");
  }
}
