/**
 * Lockstep chains: many HMC chains that share a step size, a diagonal
 * metric and a jittered trajectory length (ChEES-HMC, Hoffman, Radul &
 * Sountsov 2021), so that each leapfrog step is one batch evaluation of
 * every chain's gradient — what an accelerator or an ONNX runtime serves
 * well. Iteration t runs L = max(1, ⌈u_t·T/ε⌉) leapfrog steps for all
 * chains, u_t the t-th Halton number; warm-up is `warmup.ts`.
 *
 * Reproducible and independent of the backend: chain k draws its initial
 * point, momenta and Metropolis uniforms from Philox stream k of the seed
 * (as NUTS chain k does), the jitter is a fixed sequence, and every
 * reduction over chains runs in chain order, so two {@link BatchDensity}
 * implementations that return the same numbers give the same draws.
 * @module
 */
import type { BatchDensity } from "../../codegen/batch.ts";
import { Rng, type RngState } from "../../random/rng.ts";
import type { DrawStats } from "../draws.ts";
import { DEFAULT_CHEES, halton, leapfrogSteps } from "./chees.ts";
import { batchInitStepSize, initialize } from "./init.ts";
import { evaluateState, LockstepKernel, type LockstepState, newState } from "./kernel.ts";
import { type LockstepAdaptation, LockstepWarmup, type WarmupState } from "./warmup.ts";

/** Settings of a lockstep run. */
export interface LockstepSettings {
  readonly chains: number;
  readonly seed: number;
  readonly warmup: number;
  readonly draws: number;
  /** Target of the harmonic mean over chains of the acceptance probability (0.651). */
  readonly targetAccept: number;
  /** Most leapfrog steps per trajectory (1000). */
  readonly maxLeapfrog: number;
  /** Initial unconstrained point, for all chains (dim values) or per chain (chains × dim); uniform in (−2, 2) when absent. */
  readonly init?: Float64Array;
}

/** One iteration of all chains. */
export interface LockstepIteration {
  /** 1 … warmup + draws. */
  readonly iter: number;
  readonly warmup: boolean;
  /** Every chain's unconstrained position, row-major (chains × dim); a view: copy it to keep it. */
  readonly theta: Float64Array;
  /** Per chain (index k − 1 for chain k), its statistics. */
  readonly stats: readonly DrawStats[];
}

/** Everything needed to continue a lockstep run exactly; plain JSON. */
export interface LockstepCheckpoint {
  readonly version: 1;
  /** Iterations completed. */
  readonly iter: number;
  /** Positions, row-major (chains × dim). */
  readonly theta: number[];
  /** Chain k's stream at index k − 1. */
  readonly rngs: RngState[];
  readonly warmup: WarmupState;
}

/**
 * Lockstep HMC chains with ChEES warm-up, advanced one iteration (all
 * chains, one batch call per leapfrog step) at a time.
 *
 * @example
 * ```ts
 * const sampler = await LockstepSampler.create(batchOf(density), { chains: 64, seed: 1, warmup: 200, draws: 100, targetAccept: 0.651, maxLeapfrog: 1000 });
 * let divergences = 0;
 * for (let it = await sampler.next(); it !== undefined; it = await sampler.next()) if (!it.warmup) divergences += it.stats.filter((s) => s.divergent).length;
 * ```
 */
export class LockstepSampler {
  private iter = 0;

  private constructor(
    private readonly density: BatchDensity,
    readonly settings: LockstepSettings,
    private readonly state: LockstepState,
    private readonly rngs: Rng[],
    private readonly adapt: LockstepWarmup,
    private readonly kernel: LockstepKernel,
  ) {}

  /** Starts the chains (initial points and step size: a few batch calls), or resumes them from a checkpoint. */
  static async create(density: BatchDensity, settings: LockstepSettings, checkpoint?: LockstepCheckpoint): Promise<LockstepSampler> {
    const { chains: n, seed, warmup, targetAccept, maxLeapfrog } = settings;
    if (!Number.isInteger(n) || n < 2) throw new RangeError(`lockstep sampling needs at least 2 chains (it adapts across them), got ${n}`);
    const d = density.dim;
    const state = newState(n, d);
    const cheesSettings = { ...DEFAULT_CHEES, maxLeapfrog };
    const kernel = new LockstepKernel(density, n);
    if (checkpoint !== undefined) {
      const rngs = checkpoint.rngs.map((s) => Rng.fromState(s));
      state.q.set(checkpoint.theta);
      const ok = await evaluateState(density, state);
      if (ok.includes(false)) throw new RangeError("the checkpointed positions have no finite log density");
      const adapt = new LockstepWarmup(d, warmup, targetAccept, checkpoint.warmup.stepSize, cheesSettings);
      adapt.state = checkpoint.warmup;
      const sampler = new LockstepSampler(density, settings, state, rngs, adapt, kernel);
      sampler.iter = checkpoint.iter;
      return sampler;
    }
    const rngs = Array.from({ length: n }, (_, c) => new Rng(seed, c + 1));
    await initialize(density, state, rngs, settings.init);
    const stepSize = await batchInitStepSize(density, state, rngs, new Float64Array(d).fill(1), 1);
    return new LockstepSampler(
      density,
      settings,
      state,
      rngs,
      new LockstepWarmup(d, warmup, targetAccept, stepSize, cheesSettings),
      kernel,
    );
  }

  /** Whether iterations remain. */
  get done(): boolean {
    return this.iter >= this.settings.warmup + this.settings.draws;
  }

  /** The next iteration of every chain, or undefined after the last. */
  async next(): Promise<LockstepIteration | undefined> {
    if (this.done) return undefined;
    const i = this.iter++;
    const warmup = i < this.settings.warmup;
    const jitter = halton(i + 1);
    const { stepSize, trajectoryLength, invMetric } = this.adapt.adaptation();
    const steps = leapfrogSteps(jitter, trajectoryLength, stepSize, this.settings.maxLeapfrog);
    const info = await this.kernel.transition(this.state, this.rngs, { stepSize, steps, invMetric });
    const stats = Array.from({ length: this.state.n }, (_, c): DrawStats => ({
      lp: this.state.lp[c],
      acceptStat: info.acceptProb[c],
      stepSize,
      treeDepth: 0,
      nLeapfrog: steps,
      divergent: info.divergent[c] === 1,
      energy: info.energy[c],
      recovered: info.recovered[c],
    }));
    if (warmup && this.adapt.learn(i, info, this.state, jitter) === "newMetric") {
      this.adapt.restart(await batchInitStepSize(this.density, this.state, this.rngs, this.adapt.invMetric, this.adapt.stepSize));
    }
    return { iter: i + 1, warmup, theta: this.state.q, stats };
  }

  /** The adaptation in force (after warm-up: the frozen one). */
  adaptation(): LockstepAdaptation {
    return this.adapt.adaptation();
  }

  /** The exact state of every chain and of the warm-up. */
  checkpoint(): LockstepCheckpoint {
    return {
      version: 1,
      iter: this.iter,
      theta: Array.from(this.state.q),
      rngs: this.rngs.map((r) => r.state()),
      warmup: this.adapt.state,
    };
  }
}
