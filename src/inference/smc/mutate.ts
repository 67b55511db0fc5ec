/**
 * The mutation of an SMC stage: HMC moves of every particle targeting π_β,
 * through the lockstep kernel (one batch call of each density per leapfrog
 * step for the whole cloud).
 *
 * Why these choices:
 * - HMC with one trajectory length for the whole cloud, not NUTS: every
 *   particle then takes the same number of leapfrog steps, so the cloud
 *   stays one batch (what the ONNX backend serves), as in BlackJAX's
 *   tempered SMC and Buchholz, Chopin & Jacob (2021).
 * - The length is drawn per move, uniform in (T/2, T] with T = 2 in units
 *   of the cloud's sds, rather than a fixed count of leapfrog steps: with
 *   the step size adapting, a fixed count drifts onto the target's period
 *   (a Gaussian's 2π) and accepted moves land where they started; a length
 *   of 1–2 radians takes a unit-scale Gaussian to |correlation| ≤ 0.54 per
 *   move, and its jitter keeps other scales from resonating.
 * - A diagonal metric from the cloud's weighted variance at the new β: the
 *   particles are a better estimate of π_β's scales than any warm-up.
 * - The step size follows the cloud's mean acceptance after every move,
 *   log ε ← log ε + (ā − target): with N particles ā is known to ±0.5/√N,
 *   so one move is signal enough, and a unit gain converges without
 *   oscillating where acceptance falls steeply with ε (high dimensions).
 * - As many moves as decorrelate the cloud (PyMC's rule for its IMH
 *   kernel, on |correlation| since HMC can overshoot to negative ones):
 *   moves go on while, for more than 90 % of the coordinates, the
 *   |correlation| between the particles' positions at the start of the
 *   mutation and now still fell by more than `correlationThreshold` in the
 *   last move, up to `maxMoves`; a move that accepted less than half the
 *   target does not count as "stopped falling" (nothing moved). Resampling
 *   leaves duplicates; this spends moves until they have spread apart, and
 *   no more.
 * @module
 */
import type { Rng } from "../../random/rng.ts";
import { leapfrogSteps } from "../lockstep/chees.ts";
import { LockstepKernel, type LockstepState } from "../lockstep/kernel.ts";
import { correlations } from "./cloud.ts";
import type { Tempered } from "./tempered.ts";

/** How the particles move. */
export interface MutationSettings {
  /** Mean acceptance probability the step size is tuned toward. */
  readonly targetAccept: number;
  /** Longest trajectory T of a move, in units of the cloud's sds (moves take (T/2, T]). */
  readonly trajectoryLength: number;
  /** Leapfrog steps per move at most. */
  readonly maxLeapfrog: number;
  /** HMC moves per stage at most. */
  readonly maxMoves: number;
  /** The fall in correlation per move below which moving stops. */
  readonly correlationThreshold: number;
}

/** What one stage's mutation did. */
export interface MutationInfo {
  readonly moves: number;
  /** Mean acceptance probability over particles and moves. */
  readonly acceptance: number;
  /** Trajectories where the density failed (the move rejected). */
  readonly recovered: number;
}

/** Share of coordinates that must still decorrelate for another move (PyMC's 0.9). */
const STILL_MOVING = 0.9;
/** The chance a particle may keep its position through a stage's moves (the floor on their number). */
const STAYED = 0.01;

/**
 * The HMC mutation of `n` particles, keeping its step size from stage to
 * stage. Momenta, Metropolis uniforms and trajectory lengths come from `rng`, in
 * particle order. Internal: each SMC run (run.ts) makes one and calls
 * `mutate` once per stage.
 */
export class Mutation {
  private readonly kernel: LockstepKernel;
  private readonly rngs: readonly Rng[];
  private readonly start: Float64Array;
  private readonly previous: Float64Array;
  private readonly current: Float64Array;
  /** The step size before jitter; starts at d^(−1/4), the scale of a good step on a standard normal. */
  stepSize: number;

  constructor(
    density: Tempered,
    private readonly n: number,
    private readonly rng: Rng,
    private readonly settings: MutationSettings,
  ) {
    const d = density.dim;
    this.kernel = new LockstepKernel(density, n);
    // One stream for the cloud: the kernel draws particle by particle from it.
    this.rngs = new Array<Rng>(n).fill(rng);
    this.start = new Float64Array(n * d);
    this.previous = new Float64Array(d);
    this.current = new Float64Array(d);
    this.stepSize = d ** -0.25;
  }

  /** Moves every particle of `state` (which holds log π_β and its gradient) in place. */
  async mutate(state: LockstepState, invMetric: Float64Array): Promise<MutationInfo> {
    const { n, settings, previous, current } = this;
    const d = state.dim;
    this.start.set(state.q);
    previous.fill(1);
    let moves = 0;
    let acceptSum = 0;
    let recovered = 0;
    for (;;) {
      const eps = this.stepSize;
      const steps = leapfrogSteps(0.5 + 0.5 * this.rng.uniform(), settings.trajectoryLength, eps, settings.maxLeapfrog);
      const info = await this.kernel.transition(state, this.rngs, { stepSize: eps, steps, invMetric });
      let a = 0;
      for (let c = 0; c < n; c++) {
        a += info.acceptProb[c];
        recovered += info.recovered[c];
      }
      a /= n;
      acceptSum += a;
      moves++;
      this.stepSize *= Math.exp(a - settings.targetAccept);
      if (moves >= settings.maxMoves) break;
      correlations(this.start, state.q, n, d, current);
      let falling = 0;
      for (let j = 0; j < d; j++) {
        current[j] = Math.abs(current[j]);
        if (previous[j] - current[j] > settings.correlationThreshold) falling++;
      }
      // Enough moves that a particle has moved at least once but with chance STAYED (mean acceptance so far).
      const least = Math.log(STAYED) / Math.log(1 - Math.min(acceptSum / moves, 0.99));
      if (falling <= STILL_MOVING * d && moves >= least) break;
      previous.set(current);
    }
    return { moves, acceptance: acceptSum / moves, recovered };
  }
}
