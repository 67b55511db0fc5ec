/**
 * One chain of NUTS with its warm-up (nutpie's or Stan's,
 * adapt/chainWarmup.ts), advanced one iteration at a time over explicit
 * state, so that a driver can stream its draws and checkpoint it anywhere.
 * The random stream of chain k is Philox stream k of the seed: chain k's
 * draws do not depend on how many chains run, or where.
 * @module
 */
import type { LogDensity } from "../codegen/density.ts";
import { SamplerError } from "../errors.ts";
import { Rng, type RngState } from "../random/rng.ts";
import { type AdaptKind, type ChainWarmup, chainWarmup, type MetricChoice, type WarmupCheckpoint } from "./adapt/chainWarmup.ts";
import { initStepSize } from "./adapt/stepSize.ts";
import type { DrawStats } from "./draws.ts";
import { Nuts } from "./hmc/nuts.ts";
import { evaluate, isFiniteResult, newPoint, type Point } from "./hmc/point.ts";

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
  readonly metric: MetricChoice;
  /** The warm-up: nutpie's or Stan's (Stan's when absent). */
  readonly adapt?: AdaptKind;
  /** Initial unconstrained point; uniform in (−2, 2) when absent. */
  readonly init?: Float64Array;
  /** The initial inverse metric's diagonal, until warm-up's first estimate; absent: the unit metric (Stan's), the gradient's (nutpie's). */
  readonly initInvMetric?: Float64Array;
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

/**
 * Everything needed to continue a chain exactly where it was: position,
 * warm-up state (its version says whose), random stream; plain JSON.
 */
export type ChainCheckpoint = Readonly<WarmupCheckpoint> & {
  /** Iterations completed. */
  readonly iter: number;
  readonly theta: number[];
  readonly rng: RngState;
};

/**
 * A density that counts its faults (evaluations that threw or gave a
 * non-finite value or gradient) and passes everything through unchanged.
 * NUTS counts the faults of its own leaves; this counts the others (the
 * initial points tried, the step-size search), so that every fault a chain
 * meets is reported in some draw's `recovered`.
 */
export class FaultCounter implements LogDensity {
  /** Faults since this was last reset to 0. */
  faults = 0;

  constructor(private readonly inner: LogDensity) {}

  get dim(): number {
    return this.inner.dim;
  }

  logp(theta: Float64Array): number {
    return this.inner.logp(theta);
  }

  logpGrad(theta: Float64Array, grad: Float64Array): number {
    let lp: number;
    try {
      lp = this.inner.logpGrad(theta, grad);
    } catch (e) {
      this.faults++;
      throw e;
    }
    if (!isFiniteResult(lp, grad, 0, grad.length)) this.faults++;
    return lp;
  }
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
 * const chain = new Chain(density, { chain: 1, seed: 1, warmup: 1000, draws: 1000, maxDepth: 10, targetAccept: 0.8, metric: "auto", adapt: "nutpie" });
 * const kept: Float64Array[] = [];
 * for (let t = chain.next(); t !== undefined; t = chain.next()) if (!t.warmup) kept.push(Float64Array.from(t.theta));
 * ```
 */
export class Chain {
  private readonly rng: Rng;
  private readonly nuts: Nuts;
  private readonly point: Point;
  private readonly warm: ChainWarmup;
  /** The density as the evaluations outside NUTS see it: their faults go into the next draw's `recovered`. */
  private readonly counted: FaultCounter;
  private iter = 0;

  constructor(
    density: LogDensity,
    readonly settings: ChainSettings,
    checkpoint?: ChainCheckpoint,
  ) {
    const d = density.dim;
    const warmup = {
      dim: d,
      warmup: settings.warmup,
      targetAccept: settings.targetAccept,
      metric: settings.metric,
      adapt: settings.adapt ?? "stan",
    };
    this.point = newPoint(d);
    this.counted = new FaultCounter(density);
    if (checkpoint !== undefined) {
      const { iter, theta, rng, ...warm } = checkpoint;
      this.rng = Rng.fromState(rng);
      this.iter = iter;
      this.warm = chainWarmup(warmup, { resume: warm, chain: settings.chain });
      this.point.q.set(theta);
      if (!evaluate(density, this.point)) throw new SamplerError(settings.chain, "the checkpointed position has no finite log density");
      this.nuts = new Nuts(density, this.warm.metric());
      return;
    }
    this.rng = new Rng(settings.seed, settings.chain);
    this.initialize();
    // nutpie's first metric comes from the gradient at the initial point.
    this.warm = chainWarmup(warmup, { start: this.point, initInvDiag: settings.initInvMetric });
    this.nuts = new Nuts(density, this.warm.metric());
    this.warm.restart(initStepSize(this.counted, this.nuts.metric, this.point, 1, this.rng));
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
      if (!evaluate(this.counted, this.point))
        throw new SamplerError(chain, "the log density or its gradient is not finite at the given initial point");
      return;
    }
    const best = new Float64Array(q.length);
    let bestLp = -Infinity;
    let found = 0;
    for (let t = 0; t < INIT_TRIES && found < INIT_CANDIDATES; t++) {
      for (let i = 0; i < q.length; i++) q[i] = 4 * this.rng.uniform() - 2;
      if (!evaluate(this.counted, this.point)) continue;
      found++;
      if (this.point.lp > bestLp) {
        bestLp = this.point.lp;
        best.set(q);
      }
    }
    if (found === 0) throw new SamplerError(chain, `no finite log density and gradient at ${INIT_TRIES} random initial points in (−2, 2)`);
    q.set(best);
    evaluate(this.counted, this.point);
  }

  /** Whether iterations remain. */
  get done(): boolean {
    return this.iter >= this.settings.warmup + this.settings.draws;
  }

  /**
   * The next iteration, or undefined after the last. Its `recovered` counts
   * the faults of its leaves and those met outside NUTS since the previous
   * iteration (the initial points before the first, the step-size search).
   */
  next(): Transition | undefined {
    if (this.done) return undefined;
    const { warmup, maxDepth } = this.settings;
    const i = this.iter++;
    const transition = this.nuts.transition(this.point, this.rng, { stepSize: this.warm.stepSize, maxDepth });
    if (this.done) this.nuts.release();
    if (i < warmup) this.learn(i, transition);
    const stats = this.counted.faults === 0 ? transition : { ...transition, recovered: transition.recovered + this.counted.faults };
    this.counted.faults = 0;
    return { iter: i + 1, warmup: i < warmup, stats, theta: this.point.q };
  }

  /** Warm-up after iteration i: a new metric when the warm-up has one, and the step-size heuristic when it asks. */
  private learn(i: number, stats: DrawStats): void {
    const event = this.warm.learn(i, this.point, stats.acceptStat);
    if (event === "updatedMetric" || event === "newMetric") this.nuts.metric = this.warm.metric();
    if (event === "newMetric") this.warm.restart(initStepSize(this.counted, this.nuts.metric, this.point, this.warm.stepSize, this.rng));
  }

  /** The adaptation in force: step size and inverse metric. */
  adaptation(): { stepSize: number; invMetric: number[] | number[][] } {
    return { stepSize: this.warm.stepSize, invMetric: this.nuts.metric.inverse() };
  }

  /** The chain's exact state. */
  checkpoint(): ChainCheckpoint {
    return { ...this.warm.checkpoint(), iter: this.iter, theta: Array.from(this.point.q), rng: this.rng.state() };
  }
}
