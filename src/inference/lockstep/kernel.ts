/**
 * Static HMC for many chains in lockstep: every chain takes the same number
 * of leapfrog steps with the same step size and diagonal metric, so one
 * {@link BatchDensity} call per step evaluates every chain's gradient. Then
 * a Metropolis correction per chain. The per-chain arithmetic is that of
 * `hmc/staticHmc.ts` (divergence at an energy error above 1000; a density
 * that fails at a step makes that chain's trajectory divergent); a chain
 * whose trajectory diverged stops moving, so the batch never sees a
 * non-finite point.
 * @module
 */
import type { BatchDensity } from "../../codegen/batch.ts";
import type { Rng } from "../../random/rng.ts";
import { acceptProbability } from "../adapt/stepSize.ts";
import { drift, energy, kick } from "../hmc/integrator.ts";
import { diagMetric } from "../hmc/metric.ts";
import { MAX_DELTA_H } from "../hmc/nuts.ts";
import { isFiniteResult } from "../hmc/point.ts";

/** The chains' positions with their log densities and gradients, row-major (chain c at c·dim). */
export interface LockstepState {
  /** Number of chains. */
  readonly n: number;
  readonly dim: number;
  readonly q: Float64Array;
  readonly g: Float64Array;
  readonly lp: Float64Array;
}

/** Settings of one lockstep transition, shared by every chain. */
export interface LockstepParams {
  readonly stepSize: number;
  /** Leapfrog steps. */
  readonly steps: number;
  /** The inverse metric's diagonal (the posterior variance estimate). */
  readonly invMetric: Float64Array;
}

/**
 * What a transition did, per chain; the arrays are the kernel's workspace,
 * valid until its next transition.
 */
export interface LockstepInfo {
  readonly steps: number;
  /** min(1, exp(−ΔH)); 0 for a divergent trajectory. */
  readonly acceptProb: Float64Array;
  readonly accepted: Uint8Array;
  readonly divergent: Uint8Array;
  /** 1 where the density failed (threw or was not finite) during the trajectory. */
  readonly recovered: Uint8Array;
  /** The Hamiltonian at the new state (the accepted proposal's, or the start's with its fresh momentum). */
  readonly energy: Float64Array;
  /** Positions the transition started from (n × dim). */
  readonly start: Float64Array;
  /** Proposed positions and momenta at the end of the trajectories (n × dim). */
  readonly proposal: Float64Array;
  readonly proposalMomentum: Float64Array;
}

/** A state of `n` chains in `dim` dimensions, all zeros. */
export function newState(n: number, dim: number): LockstepState {
  return { n, dim, q: new Float64Array(n * dim), g: new Float64Array(n * dim), lp: new Float64Array(n) };
}

/**
 * Whether chain c's log density and gradient are finite; where not, its
 * lp is set to −∞ (as `hmc/point.ts` marks a failed point).
 */
export function sanitize(lp: Float64Array, g: Float64Array, c: number, dim: number): boolean {
  const ok = isFiniteResult(lp[c], g, c * dim, dim);
  if (!ok) lp[c] = -Infinity;
  return ok;
}

/** Evaluates every chain at its position (one batch call); returns per chain whether the result is finite. */
export async function evaluateState(density: BatchDensity, state: LockstepState): Promise<boolean[]> {
  await density.logpGradBatch(state.q, state.n, state.lp, state.g);
  return Array.from({ length: state.n }, (_, c) => sanitize(state.lp, state.g, c, state.dim));
}

/**
 * The lockstep HMC kernel for `n` chains of `density`.
 *
 * @example
 * ```ts
 * const state = newState(256, density.dim);
 * await evaluateState(batchOf(density), state);
 * const rngs = Array.from({ length: 256 }, (_, c) => new Rng(1, c + 1));
 * const invMetric = new Float64Array(density.dim).fill(1);
 * const kernel = new LockstepKernel(batchOf(density), 256);
 * const info = await kernel.transition(state, rngs, { stepSize: 0.3, steps: 10, invMetric });
 * ```
 */
export class LockstepKernel {
  private readonly d: number;
  private readonly p0: Float64Array;
  private readonly q: Float64Array;
  private readonly p: Float64Array;
  private readonly v: Float64Array;
  private readonly g: Float64Array;
  private readonly lp: Float64Array;
  private readonly h0: Float64Array;
  private readonly active: Uint8Array;
  private readonly info: { -readonly [K in keyof LockstepInfo]: LockstepInfo[K] };

  constructor(
    private readonly density: BatchDensity,
    readonly n: number,
  ) {
    const d = (this.d = density.dim);
    this.p0 = new Float64Array(n * d);
    this.q = new Float64Array(n * d);
    this.p = new Float64Array(n * d);
    this.v = new Float64Array(n * d);
    this.g = new Float64Array(n * d);
    this.lp = new Float64Array(n);
    this.h0 = new Float64Array(n);
    this.active = new Uint8Array(n);
    this.info = {
      steps: 0,
      acceptProb: new Float64Array(n),
      accepted: new Uint8Array(n),
      divergent: new Uint8Array(n),
      recovered: new Uint8Array(n),
      energy: new Float64Array(n),
      start: new Float64Array(n * d),
      proposal: this.q,
      proposalMomentum: this.p,
    };
  }

  /**
   * One transition of every chain from `state` (momenta drawn from chain
   * c's stream `rngs[c]`: dim normals, then one uniform for the
   * Metropolis test); on return `state` holds the new draws.
   */
  async transition(state: LockstepState, rngs: readonly Rng[], params: LockstepParams): Promise<LockstepInfo> {
    const { n, d, p0, q, p, v, g, lp, h0, active, info } = this;
    const { stepSize: eps, steps } = params;
    const metric = diagMetric(params.invMetric);
    const half = 0.5 * eps;
    info.start.set(state.q);
    q.set(state.q);
    g.set(state.g);
    lp.set(state.lp);
    for (let c = 0; c < n; c++) {
      metric.sampleMomentum(rngs[c], p0, c * d);
      h0[c] = energy(state.lp[c], metric, p0, c * d);
      active[c] = 1;
      info.divergent[c] = 0;
      info.recovered[c] = 0;
    }
    p.set(p0);
    let moving = n;
    // Once every trajectory has diverged, the remaining steps would change nothing.
    for (let s = 0; s < steps && moving > 0; s++) {
      for (let c = 0; c < n; c++) {
        if (active[c] === 0) continue;
        kick(p, g, half, c * d, d);
        drift(metric, q, p, eps, v, c * d);
      }
      // Every chain is in the batch (a fixed shape); a stopped chain's position is finite and its results are ignored.
      await this.density.logpGradBatch(q, n, lp, g);
      for (let c = 0; c < n; c++) {
        if (active[c] === 0) continue;
        const ok = sanitize(lp, g, c, d);
        if (ok) kick(p, g, half, c * d, d);
        if (!ok || !(energy(lp[c], metric, p, c * d) - h0[c] <= MAX_DELTA_H)) {
          info.recovered[c] = ok ? 0 : 1;
          info.divergent[c] = 1;
          active[c] = 0;
          moving--;
          // Back to where it started: the batch then only ever sees finite points.
          q.set(state.q.subarray(c * d, (c + 1) * d), c * d);
        }
      }
    }
    for (let c = 0; c < n; c++) {
      const h = energy(lp[c], metric, p, c * d);
      const a = info.divergent[c] === 1 ? 0 : acceptProbability(h0[c], h);
      info.acceptProb[c] = a;
      const accept = rngs[c].uniform() < a;
      info.accepted[c] = accept ? 1 : 0;
      if (accept) {
        state.q.set(q.subarray(c * d, (c + 1) * d), c * d);
        state.g.set(g.subarray(c * d, (c + 1) * d), c * d);
        state.lp[c] = lp[c];
      }
      info.energy[c] = accept ? h : h0[c];
    }
    info.steps = steps;
    return info;
  }
}
