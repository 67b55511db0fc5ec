/**
 * Static HMC: a fixed number of leapfrog steps, then a Metropolis
 * correction. The baseline NUTS improves on, and a kernel for tests and for
 * lockstep chains that share a trajectory length.
 * @module
 */
import type { LogDensity } from "../../codegen/density.ts";
import type { Rng } from "../../random/rng.ts";
import type { DrawStats } from "../draws.ts";
import { hamiltonian, leapfrog } from "./integrator.ts";
import type { Metric } from "./metric.ts";
import { MAX_DELTA_H } from "./nuts.ts";
import { copyPoint, newPoint, type Point } from "./point.ts";

/** Settings of a static HMC transition. */
export interface StaticHmcSettings {
  readonly stepSize: number;
  /** Leapfrog steps per transition. */
  readonly steps: number;
}

/**
 * A static HMC kernel for one chain.
 *
 * @example
 * ```ts
 * import { diagMetric } from "./metric.ts";
 * import { evaluate, newPoint } from "./point.ts";
 * const hmc = new StaticHmc(density, diagMetric(new Float64Array(density.dim).fill(1)));
 * const point = newPoint(density.dim);
 * evaluate(density, point); // log p and its gradient at θ = 0
 * const stats = hmc.transition(point, new Rng(1), { stepSize: 0.3, steps: 10 }); // point now holds the next draw
 * ```
 */
export class StaticHmc {
  private readonly z: Point;
  private readonly v: Float64Array;

  constructor(
    private readonly density: LogDensity,
    public metric: Metric,
  ) {
    this.z = newPoint(density.dim);
    this.v = new Float64Array(density.dim);
  }

  /** One transition from `current` (its momentum is redrawn); on return `current` holds the new draw. */
  transition(current: Point, rng: Rng, settings: StaticHmcSettings): DrawStats {
    const z = this.z;
    this.metric.sampleMomentum(rng, current.p);
    copyPoint(z, current);
    const h0 = hamiltonian(this.metric, z);
    let recovered = 0;
    let divergent = false;
    for (let s = 0; s < settings.steps && !divergent; s++) {
      if (!leapfrog(this.density, this.metric, z, settings.stepSize, this.v)) recovered++;
      divergent = hamiltonian(this.metric, z) - h0 > MAX_DELTA_H;
    }
    const h = hamiltonian(this.metric, z);
    const acceptStat = divergent ? 0 : Math.min(1, Math.exp(h0 - h));
    if (rng.uniform() < acceptStat) copyPoint(current, z);
    return {
      lp: current.lp,
      acceptStat,
      stepSize: settings.stepSize,
      treeDepth: 0,
      nLeapfrog: settings.steps,
      divergent,
      energy: hamiltonian(this.metric, current),
      recovered,
    };
  }
}
