/**
 * One chain of NUTS with Stan's warm-up, advanced one iteration at a time
 * over explicit state, so that a driver can stream its draws and checkpoint
 * it anywhere. The random stream of chain k is Philox stream k of the seed:
 * chain k's draws do not depend on how many chains run, or where.
 * @module
 */
import type { LogDensity } from "../codegen/density.ts";
import { SamplerError } from "../errors.ts";
import { Rng, type RngState } from "../random/rng.ts";
import { DualAveraging, type DualAveragingState } from "./adapt/dualAveraging.ts";
import { initStepSize } from "./adapt/initStepSize.ts";
import { Welford, type WelfordState } from "./adapt/welford.ts";
import { type WindowSchedule, windowSchedule } from "./adapt/windows.ts";
import type { DrawStats } from "./draws.ts";
import { denseMetric, diagMetric, type Metric } from "./hmc/metric.ts";
import { Nuts } from "./hmc/nuts.ts";
import { evaluate, newPoint, type Point } from "./hmc/point.ts";

/** Settings of a chain. */
export interface ChainSettings {
  /** 1-based chain number; also its random stream. */
  readonly chain: number;
  readonly seed: number;
  readonly warmup: number;
  readonly draws: number;
  readonly maxDepth: number;
  /** Target acceptance statistic of step-size adaptation (Stan's adapt_delta). */
  readonly targetAccept: number;
  readonly metric: "diag" | "dense";
  /** Initial unconstrained point; uniform in (−2, 2) when absent. */
  readonly init?: Float64Array;
}

/** One iteration's outcome. */
export interface Transition {
  /** 1 … warmup + draws. */
  readonly iter: number;
  readonly warmup: boolean;
  readonly stats: DrawStats;
  /** The unconstrained position (a view: copy it to keep it). */
  readonly theta: Float64Array;
}

/** Everything needed to continue a chain exactly where it was; plain JSON. */
export interface ChainCheckpoint {
  readonly version: 1;
  /** Iterations completed. */
  readonly iter: number;
  readonly theta: number[];
  readonly stepSize: number;
  readonly invMetric: number[];
  readonly dualAveraging: DualAveragingState;
  readonly welford: WelfordState;
  readonly rng: RngState;
}

/** Random initial points tried before giving up (Stan tries 100). */
export const INIT_TRIES = 100;
/** Valid random initial points among which the best is kept. */
export const INIT_CANDIDATES = 10;

/**
 * A NUTS chain with warm-up.
 *
 * @example
 * ```ts
 * const chain = new Chain(density, { chain: 1, seed: 1, warmup: 1000, draws: 1000, maxDepth: 10, targetAccept: 0.8, metric: "diag" });
 * for (let t = chain.next(); t !== undefined; t = chain.next()) use(t);
 * ```
 */
export class Chain {
  private readonly rng: Rng;
  private readonly nuts: Nuts;
  private readonly point: Point;
  private readonly schedule: WindowSchedule;
  private readonly adapt: DualAveraging;
  private readonly welford: Welford;
  private iter = 0;
  private stepSize = 1;
  private invMetric: Float64Array;

  constructor(
    private readonly density: LogDensity,
    readonly settings: ChainSettings,
    checkpoint?: ChainCheckpoint,
  ) {
    const d = density.dim;
    this.schedule = windowSchedule(settings.warmup);
    this.adapt = new DualAveraging({ delta: settings.targetAccept, gamma: 0.05, kappa: 0.75, t0: 10 });
    this.welford = new Welford(d, settings.metric === "dense");
    this.point = newPoint(d);
    if (checkpoint !== undefined) {
      this.rng = Rng.fromState(checkpoint.rng);
      this.iter = checkpoint.iter;
      this.stepSize = checkpoint.stepSize;
      this.invMetric = Float64Array.from(checkpoint.invMetric);
      this.adapt.state = structuredClone(checkpoint.dualAveraging);
      this.welford.state = structuredClone(checkpoint.welford);
      this.point.q.set(checkpoint.theta);
      if (!evaluate(density, this.point)) throw new SamplerError(settings.chain, "the checkpointed position has no finite log density");
      this.nuts = new Nuts(density, this.makeMetric());
      return;
    }
    this.rng = new Rng(settings.seed, settings.chain);
    this.invMetric = settings.metric === "dense" ? identity(d) : new Float64Array(d).fill(1);
    this.nuts = new Nuts(density, this.makeMetric());
    this.initialize();
    this.stepSize = initStepSize(density, this.nuts.metric, this.point, 1, this.rng);
    this.adapt.restart(this.stepSize);
  }

  private makeMetric(): Metric {
    return this.settings.metric === "dense" ? denseMetric(this.invMetric, this.density.dim) : diagMetric(this.invMetric);
  }

  /**
   * The initial point: the user's, or the best (highest log density) of
   * INIT_CANDIDATES uniform draws in (−2, 2) with finite log density and
   * gradient. One uniform draw, as Stan takes, can land where the density is
   * astronomically small (an ARMA model with |θ| > 1, whose errors grow as
   * θ^T): there log p is ~1e16 and its rounding alone rejects every move, so
   * the chain never leaves. A few candidates make that vanishingly rare.
   */
  private initialize(): void {
    const { init, chain } = this.settings;
    const q = this.point.q;
    if (init !== undefined) {
      q.set(init);
      if (!evaluate(this.density, this.point)) throw new SamplerError(chain, "the log density or its gradient is not finite at the given initial point");
      return;
    }
    const best = new Float64Array(q.length);
    let bestLp = -Infinity;
    let found = 0;
    for (let t = 0; t < INIT_TRIES && found < INIT_CANDIDATES; t++) {
      for (let i = 0; i < q.length; i++) q[i] = 4 * this.rng.uniform() - 2;
      if (!evaluate(this.density, this.point)) continue;
      found++;
      if (this.point.lp > bestLp) {
        bestLp = this.point.lp;
        best.set(q);
      }
    }
    if (found === 0) throw new SamplerError(chain, `no finite log density and gradient at ${INIT_TRIES} random initial points in (−2, 2)`);
    q.set(best);
    evaluate(this.density, this.point);
  }

  /** Whether iterations remain. */
  get done(): boolean {
    return this.iter >= this.settings.warmup + this.settings.draws;
  }

  /** The next iteration, or undefined after the last. */
  next(): Transition | undefined {
    if (this.done) return undefined;
    const { warmup, maxDepth } = this.settings;
    const i = this.iter++;
    const stats = this.nuts.transition(this.point, this.rng, { stepSize: this.stepSize, maxDepth });
    if (i < warmup) this.learn(i, stats);
    return { iter: i + 1, warmup: i < warmup, stats, theta: this.point.q };
  }

  /** Warm-up after iteration i: step size by dual averaging, metric at the end of each window. */
  private learn(i: number, stats: DrawStats): void {
    this.stepSize = this.adapt.learn(stats.acceptStat);
    if (this.schedule.inWindow(i)) this.welford.add(this.point.q);
    if (this.schedule.endsWindow(i)) {
      this.invMetric = this.welford.estimate();
      this.welford.restart();
      this.nuts.metric = this.makeMetric();
      this.stepSize = initStepSize(this.density, this.nuts.metric, this.point, this.stepSize, this.rng);
      this.adapt.restart(this.stepSize);
    }
    if (i === this.settings.warmup - 1) this.stepSize = this.adapt.final();
  }

  /** The adaptation in force: step size and inverse metric. */
  adaptation(): { stepSize: number; invMetric: number[] | number[][] } {
    return { stepSize: this.stepSize, invMetric: this.nuts.metric.inverse() };
  }

  /** The chain's exact state. */
  checkpoint(): ChainCheckpoint {
    return {
      version: 1,
      iter: this.iter,
      theta: Array.from(this.point.q),
      stepSize: this.stepSize,
      invMetric: Array.from(this.invMetric),
      dualAveraging: structuredClone(this.adapt.state),
      welford: structuredClone(this.welford.state),
      rng: this.rng.state(),
    };
  }
}

function identity(d: number): Float64Array {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = 1;
  return m;
}
