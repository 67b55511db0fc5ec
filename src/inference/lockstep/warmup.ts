/**
 * Warm-up of lockstep chains: one step size, one diagonal metric and one
 * trajectory length for all chains, learned from all of them.
 *
 * - Step size: dual averaging (Stan's γ 0.05, κ 0.75, t₀ 10) of the
 *   harmonic mean over the chains of the acceptance probability, target
 *   0.651 by default. 0.651 is the optimal acceptance of static HMC in high
 *   dimensions (Beskos et al. 2013); the harmonic mean, which ChEES-HMC and
 *   BlackJAX use, is held down by the worst chains, so the step size suits
 *   all of them. Divergent transitions are left out of the mean (they are
 *   counted and reported), as BlackJAX does: one divergent chain out of
 *   hundreds must not drive the step size to zero.
 * - Metric: Stan's windows (75 / 25 doubling / 50); in each window the
 *   variance is estimated from every chain's position at every iteration
 *   (so 256 chains give a good estimate from the first window). After a
 *   window the step size is re-initialized by the heuristic, dual averaging
 *   restarts, and T is carried over to the new metric
 *   ({@link rescaleTrajectoryLength}) with Adam and the average restarted.
 * - Trajectory length: ChEES (`chees.ts`), starting at T = ε.
 *
 * At the end the step size is dual averaging's averaged iterate and T the
 * averaged log T; both are then frozen, so each chain is a Markov chain.
 * The updates are pure arithmetic on plain state; the step-size heuristic
 * (which needs the density) is the driver's.
 * @module
 */
import { type WindowAdaptation, windowAdaptation, type WindowAdaptationState } from "../adapt/window.ts";
import {
  type CheesSettings,
  type CheesState,
  cheesFinal,
  cheesGradient,
  cheesInit,
  cheesTrajectoryLength,
  cheesUpdate,
  clipLogT,
  DEFAULT_CHEES,
  rescaleTrajectoryLength,
} from "./chees.ts";
import { harmonicMean } from "./init.ts";
import type { LockstepInfo, LockstepState } from "./kernel.ts";

/** The default target of the harmonic-mean acceptance probability. */
export const DEFAULT_TARGET_ACCEPT = 0.651;

/** The adaptation in force; plain data. */
export interface LockstepAdaptation {
  readonly stepSize: number;
  readonly trajectoryLength: number;
  readonly invMetric: Float64Array;
}

/** The warm-up's state: Stan's window adaptation and ChEES; plain numbers and arrays, so it checkpoints as JSON. */
export interface WarmupState extends WindowAdaptationState {
  chees: CheesState;
  /** The trajectory length sampled with, once warm-up has ended. */
  frozenTrajectoryLength?: number;
}

/** Step size, metric and trajectory length learned across chains. */
export class LockstepWarmup {
  private readonly window: WindowAdaptation;
  private warm: WindowAdaptationState;
  /** The inverse metric in force, as the kernel reads it. */
  invMetric: Float64Array;
  chees: CheesState;
  private frozenT: number | undefined;

  constructor(
    readonly dim: number,
    readonly warmup: number,
    targetAccept: number,
    stepSize: number,
    readonly cheesSettings: CheesSettings = DEFAULT_CHEES,
  ) {
    this.window = windowAdaptation({ dim, warmup, targetAccept, metric: "diag" });
    this.warm = this.window.init(stepSize);
    this.invMetric = Float64Array.from(this.warm.invMetric);
    this.chees = cheesInit(stepSize);
  }

  /** The step size in force. */
  get stepSize(): number {
    return this.warm.stepSize;
  }

  /** The trajectory length for the next warm-up transition. */
  get trajectoryLength(): number {
    return cheesTrajectoryLength(this.chees);
  }

  /**
   * Learns from warm-up iteration `i` (0-based), whose transition `info`
   * used jitter `jitter` and left the chains at `state`. Returns
   * "newMetric" when a window ended: the driver then re-initializes the
   * step size and calls {@link restart}.
   */
  learn(i: number, info: LockstepInfo, state: LockstepState, jitter: number): "continue" | "newMetric" {
    const T = this.trajectoryLength;
    this.window.updateStepSize(
      this.warm,
      harmonicMean(info.acceptProb, (c) => info.divergent[c] === 0),
    );
    const grad = cheesGradient({ ...info, n: state.n, dim: state.dim, jitter }, this.invMetric, T);
    cheesUpdate(this.chees, grad, this.warm.stepSize, this.cheesSettings);
    const event = this.window.updateMetric(this.warm, i, state.q, state.n);
    if (event === "newMetric") {
      const old = this.invMetric;
      this.invMetric = Float64Array.from(this.warm.invMetric);
      this.chees = cheesInit(rescaleTrajectoryLength(this.trajectoryLength, old, this.invMetric));
      return "newMetric";
    }
    if (event === "done") this.frozenT = cheesFinal(this.chees, this.warm.stepSize, this.cheesSettings);
    return "continue";
  }

  /** After a new metric: dual averaging starts over around the heuristic's step size, T is clipped to its maximum. */
  restart(stepSize: number): void {
    this.window.restart(this.warm, stepSize);
    this.chees.logT = clipLogT(this.chees.logT, stepSize, this.cheesSettings.maxLeapfrog);
  }

  /** The adaptation in force: during warm-up the current iterates, after it the frozen values. */
  adaptation(): LockstepAdaptation {
    return { stepSize: this.warm.stepSize, trajectoryLength: this.frozenT ?? this.trajectoryLength, invMetric: this.invMetric };
  }

  /** The exact state. */
  get state(): WarmupState {
    return {
      ...structuredClone(this.warm),
      chees: { ...this.chees },
      ...(this.frozenT === undefined ? {} : { frozenTrajectoryLength: this.frozenT }),
    };
  }

  set state(s: WarmupState) {
    const { chees, frozenTrajectoryLength, ...warm } = structuredClone(s);
    this.warm = warm;
    this.invMetric = Float64Array.from(warm.invMetric);
    this.chees = chees;
    this.frozenT = frozenTrajectoryLength;
  }
}
