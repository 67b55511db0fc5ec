/**
 * The No-U-Turn sampler with Stan's rules (Hoffman & Gelman 2014; Betancourt
 * 2017): multinomial sampling over the trajectory, biased progressive
 * sampling when a new subtree joins the trajectory and uniform sampling
 * within subtrees, the generalized U-turn criterion on summed momenta with
 * extra checks across subtree boundaries, no merge of a subtree that turns
 * or diverges, divergence at an energy error above 1000.
 *
 * A transition is a pure function of the current point, the step size, the
 * metric and the random stream; it allocates nothing (the work vectors live
 * in a workspace sized once per chain, again only for a deeper tree). Under
 * a diagonal or low-rank metric it runs in WebAssembly (kernels.wat) where
 * available, with the same bits.
 * @module
 */
import type { LogDensity } from "../../codegen/density.ts";
import type { Rng } from "../../random/rng.ts";
import type { DrawStats } from "../draws.ts";
import { halfStep, hamiltonian, kick } from "./integrator.ts";
import type { LowRankParts, Metric } from "./metric.ts";
import { copyPoint, copyVec, evaluate, type Point, zero } from "./point.ts";
import { releaseWorkspace, type TreeCallbacks, type TreeKernels, treeWorkspace, type TreeWorkspace } from "./treeWorkspace.ts";

/** Energy error beyond which a trajectory is divergent (Stan's max_deltaH). */
export const MAX_DELTA_H = 1000;

/** Settings of a NUTS transition. */
export interface NutsSettings {
  readonly stepSize: number;
  readonly maxDepth: number;
}

/**
 * Dimension from which the leaf's and the merge's passes of a dense
 * metric's transition (the JavaScript tree's) run in WebAssembly: below,
 * the call's dozen arguments cost more than the loop. A diagonal or
 * low-rank metric's whole transition runs in WebAssembly at every d.
 */
const KERNEL_MIN = 16;

/** The tree depth a kernel's workspace is first sized for (Stan's default max_treedepth). */
const DEFAULT_MAX_DEPTH = 10;

/**
 * A NUTS kernel for one chain: `transition` moves `current` to the next
 * draw and returns its statistics.
 *
 * @example
 * ```ts
 * import { diagMetric } from "./metric.ts";
 * import { evaluate, newPoint } from "./point.ts";
 * const nuts = new Nuts(density, diagMetric(new Float64Array(density.dim).fill(1)));
 * const point = newPoint(density.dim);
 * evaluate(density, point); // log p and its gradient at θ = 0
 * const stats = nuts.transition(point, new Rng(1), { stepSize: 0.5, maxDepth: 10 }); // point now holds the next draw
 * ```
 */
export class Nuts {
  private readonly d: number;
  /** The transition's vectors, sized for the deepest tree asked for so far. */
  private ws: TreeWorkspace;
  // Per-transition accumulators (Stan keeps them as members too).
  private nLeapfrog = 0;
  private sumMetroProb = 0;
  private divergent = false;
  private recovered = 0;
  private h0 = 0;
  private eps = 0;
  private rng!: Rng;

  /** Whether the workspace was given back (see {@link release}). */
  private released = false;
  /** The low-rank metric whose parts the workspace holds (kernels.wat reads them there). */
  private loaded: Metric | undefined;
  /** The JavaScript tree's leaf and merge passes in WebAssembly: from d = KERNEL_MIN on, where available. */
  private passes: TreeKernels | undefined;
  /** What the WebAssembly transition calls: the density at the working point (fault-contained, as `evaluate`), and the stream. */
  private readonly callbacks: TreeCallbacks = {
    logp: () => {
      evaluate(this.density, this.ws.z);
      return this.ws.z.lp;
    },
    uniform: () => this.rng.uniform(),
  };

  /** `loops` runs the whole transition as JavaScript even where WebAssembly is available (the two give the same bits). */
  constructor(
    private readonly density: LogDensity,
    public metric: Metric,
    private readonly loops = false,
  ) {
    this.d = density.dim;
    this.ws = this.workspace(DEFAULT_MAX_DEPTH, 0);
  }

  /** Whether WebAssembly is there to run the transition (where it is available and `loops` was not asked for). */
  get wasm(): boolean {
    return this.ws.kernels !== undefined;
  }

  /**
   * Gives the workspace back for another kernel of this thread to use (a
   * chain does, after its last transition); a later transition takes one
   * again.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    releaseWorkspace(this.ws);
  }

  /** A workspace for trees up to `maxDepth` deep and low-rank metrics up to `rank`, and the passes over it. */
  private workspace(maxDepth: number, rank: number): TreeWorkspace {
    this.released = false;
    this.loaded = undefined;
    const ws = treeWorkspace(this.d, maxDepth, this.loops, this.callbacks, rank);
    this.passes = this.d >= KERNEL_MIN ? ws.kernels : undefined;
    return ws;
  }

  /**
   * One transition from `current` (position, log density and gradient set;
   * its momentum is redrawn). On return `current` holds the new draw.
   */
  transition(current: Point, rng: Rng, settings: NutsSettings): DrawStats {
    const { invDiag, lowRank } = this.metric;
    const rank = lowRank === undefined ? 0 : lowRank.lambdaMinus1.length;
    if (this.released || settings.maxDepth > this.ws.maxDepth || rank > this.ws.rank)
      this.ws = this.workspace(Math.max(settings.maxDepth, this.ws.maxDepth), Math.max(rank, this.ws.rank));
    const { z, fwd, bck, sample, propose, top, kernels } = this.ws;
    if (invDiag !== undefined) copyVec(this.ws.inv, invDiag);
    this.rng = rng;
    this.eps = settings.stepSize;
    this.metric.sampleMomentum(rng, current.p);
    copyPoint(z, current);
    if (kernels !== undefined && (invDiag !== undefined || lowRank !== undefined) && this.d > 0)
      return this.wasmTransition(current, kernels, settings.maxDepth, lowRank, rank);

    this.nLeapfrog = 0;
    this.sumMetroProb = 0;
    this.divergent = false;
    this.recovered = 0;
    copyPoint(fwd, z);
    copyPoint(bck, z);
    copyPoint(sample, z);
    this.metric.velocity(z.p, top.vFwdFwd);
    for (let i = 0; i < this.d; i++) {
      const p = z.p[i];
      const v = top.vFwdFwd[i];
      top.pFwdFwd[i] = top.pFwdBck[i] = top.pBckFwd[i] = top.pBckBck[i] = top.rho[i] = p;
      top.vFwdBck[i] = top.vBckFwd[i] = top.vBckBck[i] = v;
    }

    let logSumWeight = 0;
    this.h0 = hamiltonian(this.metric, z);
    let depth = 0;
    while (depth < settings.maxDepth) {
      zero(top.rhoFwd);
      zero(top.rhoBck);
      let subtreeWeight: number;
      if (rng.uniform() > 0.5) {
        // Extend forward: the trajectory so far becomes the backward part.
        copyPoint(z, fwd);
        copyVec(top.rhoBck, top.rho);
        copyVec(top.pBckFwd, top.pFwdFwd);
        copyVec(top.vBckFwd, top.vFwdFwd);
        subtreeWeight = this.buildTree(depth, propose, top.vFwdBck, top.vFwdFwd, top.rhoFwd, top.pFwdBck, top.pFwdFwd, 1);
        copyPoint(fwd, z);
      } else {
        copyPoint(z, bck);
        copyVec(top.rhoFwd, top.rho);
        copyVec(top.pFwdBck, top.pBckBck);
        copyVec(top.vFwdBck, top.vBckBck);
        subtreeWeight = this.buildTree(depth, propose, top.vBckFwd, top.vBckBck, top.rhoBck, top.pBckFwd, top.pBckBck, -1);
        copyPoint(bck, z);
      }
      if (Number.isNaN(subtreeWeight)) break;
      depth++;
      // Biased progressive sampling: favour the new subtree by its weight relative to the old trajectory
      // (with probability min(1, e^(new − old))); one exp serves the choice and the log-sum.
      const gain = subtreeWeight - logSumWeight;
      if (gain > 0) {
        copyPoint(sample, propose);
        logSumWeight = subtreeWeight + Math.log1p(Math.exp(-gain));
      } else {
        const odds = Math.exp(gain);
        if (rng.uniform() < odds) copyPoint(sample, propose);
        logSumWeight += Math.log1p(odds);
      }

      const persist = this.merge(
        top.rho,
        top.rhoBck,
        top.rhoFwd,
        top.vBckBck,
        top.vFwdFwd,
        top.pFwdBck,
        top.vFwdBck,
        top.pBckFwd,
        top.vBckFwd,
      );
      if (!persist) break;
    }
    copyPoint(current, sample);
    return {
      lp: current.lp,
      acceptStat: this.nLeapfrog > 0 ? this.sumMetroProb / this.nLeapfrog : 0,
      stepSize: this.eps,
      treeDepth: depth,
      nLeapfrog: this.nLeapfrog,
      divergent: this.divergent,
      energy: hamiltonian(this.metric, current),
      recovered: this.recovered,
    };
  }

  /** {@link transition} from `current`'s fresh momentum on, in WebAssembly (kernels.wat), under a low-rank metric of `rank` (0: diagonal); the same bits. */
  private wasmTransition(
    current: Point,
    kernels: TreeKernels,
    maxDepth: number,
    lowRank: LowRankParts | undefined,
    rank: number,
  ): DrawStats {
    const { z, sample, scalars } = this.ws;
    if (lowRank !== undefined && this.loaded !== this.metric) {
      // σ, λ − 1, (scratch), the directions: kernels.wat's order.
      const parts = this.ws.lowRank;
      parts.set(lowRank.sd);
      parts.set(lowRank.lambdaMinus1, this.d);
      parts.set(lowRank.vectors, this.d + 2 * rank);
      this.loaded = this.metric;
    }
    scalars[0] = z.lp;
    const h0 = hamiltonian(this.metric, z);
    const treeDepth = kernels.transition(this.d, maxDepth, this.eps, h0, scalars.byteOffset, rank, this.ws.lowRank.byteOffset);
    sample.lp = scalars[3];
    copyPoint(current, sample);
    const nLeapfrog = scalars[5];
    return {
      lp: current.lp,
      acceptStat: nLeapfrog > 0 ? scalars[6] / nLeapfrog : 0,
      stepSize: this.eps,
      treeDepth,
      nLeapfrog,
      divergent: scalars[7] !== 0,
      energy: hamiltonian(this.metric, current),
      recovered: scalars[8],
    };
  }

  /**
   * Builds a subtree of 2^depth leaves from the working point z in direction
   * `sign`, sampling `propose` uniformly (by weight) within it. `vBeg`/`pBeg`
   * receive the velocity and momentum at the end nearest the trajectory,
   * `vEnd`/`pEnd` at the far end; `rho` accumulates the summed momentum.
   * Returns the subtree's log-sum of weights, or NaN when it turned or
   * diverged (a number, not an object: this runs once per leapfrog step).
   */
  private buildTree(
    depth: number,
    propose: Point,
    vBeg: Float64Array,
    vEnd: Float64Array,
    rho: Float64Array,
    pBeg: Float64Array,
    pEnd: Float64Array,
    sign: 1 | -1,
  ): number {
    const z = this.ws.z;
    if (depth === 0) {
      const eps = sign * this.eps;
      halfStep(this.metric, z, eps, this.ws.v);
      const ok = evaluate(this.density, z);
      if (!ok) this.recovered++;
      this.nLeapfrog++;
      // The step's last half kick, where the density did not fail there, comes with the leaf's pass.
      const twiceKinetic = this.leaf(ok ? 0.5 * eps : 0, propose, vBeg, vEnd, rho, pBeg, pEnd);
      propose.lp = z.lp;
      const raw = -z.lp + 0.5 * twiceKinetic;
      const h = Number.isNaN(raw) ? Infinity : raw; // where the density failed (see energy)
      if (h - this.h0 > MAX_DELTA_H) this.divergent = true;
      this.sumMetroProb += this.h0 - h > 0 ? 1 : Math.exp(this.h0 - h);
      return this.divergent ? Number.NaN : this.h0 - h;
    }
    const lv = this.ws.levels[depth];
    zero(lv.rhoInit);
    const init = this.buildTree(depth - 1, propose, vBeg, lv.vInitEnd, lv.rhoInit, pBeg, lv.pInitEnd, sign);
    if (Number.isNaN(init)) return Number.NaN;
    // Save the end of the initial half before the final half reuses the levels below.
    const pInitEnd = lv.pInitEnd;
    const vInitEnd = lv.vInitEnd;
    // lv.proposeFinal needs no start value: the final half's first leaf writes it whole.
    zero(lv.rhoFinal);
    const fin = this.buildTree(depth - 1, lv.proposeFinal, lv.vFinalBeg, vEnd, lv.rhoFinal, lv.pFinalBeg, pEnd, sign);
    if (Number.isNaN(fin)) return Number.NaN;

    // Uniform (by weight) sampling between the two halves: the final half with probability
    // e^fin / (e^init + e^fin), from the same exp as the log-sum of the weights.
    const gain = fin - init;
    const odds = Math.exp(-Math.abs(gain));
    const weight = Math.max(init, fin) + Math.log1p(odds);
    if (this.rng.uniform() < (gain >= 0 ? 1 : odds) / (1 + odds)) copyPoint(propose, lv.proposeFinal);

    const rhoSubtree = lv.rhoExtended;
    const persist = this.merge(rhoSubtree, lv.rhoInit, lv.rhoFinal, vBeg, vEnd, lv.pFinalBeg, lv.vFinalBeg, pInitEnd, vInitEnd, rho);
    return persist ? weight : Number.NaN;
  }

  /**
   * A leaf's pass over the new point z: the leapfrog step's last half kick
   * p += h·g (none for h = 0: the density failed there), its velocity (a
   * diagonal metric's here), the proposal's copy, the ends, ρ += p, and
   * twice the kinetic energy p·M⁻¹p, which it returns. In WebAssembly from
   * d = KERNEL_MIN on.
   */
  private leaf(
    h: number,
    propose: Point,
    vBeg: Float64Array,
    vEnd: Float64Array,
    rho: Float64Array,
    pBeg: Float64Array,
    pEnd: Float64Array,
  ): number {
    const { z, inv: invCopy } = this.ws;
    const kernels = this.passes;
    const inv = this.metric.invDiag;
    const { q, p, g } = z;
    const d = this.d;
    // A dense or low-rank velocity needs the whole kicked p first.
    const kickHere = h !== 0 && inv !== undefined;
    if (h !== 0 && inv === undefined) kick(p, g, h, 0, d);
    if (inv === undefined) this.metric.velocity(p, vBeg);
    if (kernels !== undefined) {
      const { q: pq, p: pp, g: pg } = propose;
      return kernels.leaf(
        kickHere ? 1 : 0,
        h,
        q.byteOffset,
        p.byteOffset,
        g.byteOffset,
        invCopy.byteOffset,
        inv === undefined ? 0 : 1,
        pq.byteOffset,
        pp.byteOffset,
        pg.byteOffset,
        vBeg.byteOffset,
        vEnd.byteOffset,
        rho.byteOffset,
        pBeg.byteOffset,
        pEnd.byteOffset,
        d,
      );
    }
    let twiceKinetic = 0;
    for (let i = 0; i < d; i++) {
      const pi = kickHere ? p[i] + h * g[i] : p[i];
      const vi = inv === undefined ? vBeg[i] : inv[i] * pi;
      p[i] = pi;
      vBeg[i] = vi;
      twiceKinetic += pi * vi;
      propose.q[i] = q[i];
      propose.p[i] = pi;
      propose.g[i] = g[i];
      vEnd[i] = vi;
      rho[i] += pi;
      pBeg[i] = pi;
      pEnd[i] = pi;
    }
    return twiceKinetic;
  }

  /**
   * The U-turn checks of a merge of two trajectory parts, in one pass:
   * `rho` ← ρ₁ + ρ₂ (the merged summed momentum), and whether the generalized
   * U-turn criterion holds across the whole (ends `vMinus`, `vPlus`) and
   * across the boundary both ways: ρ₁ plus the first momentum of part 2 (ends
   * `vMinus`, `vBeg2`), and ρ₂ plus the last momentum of part 1 (ends
   * `vEnd1`, `vPlus`). A criterion holds while both ends move along the
   * summed momentum (positive dot products). Then `parent` += ρ, when
   * given. In WebAssembly from d = KERNEL_MIN on.
   */
  private merge(
    rho: Float64Array,
    rho1: Float64Array,
    rho2: Float64Array,
    vMinus: Float64Array,
    vPlus: Float64Array,
    pBeg2: Float64Array,
    vBeg2: Float64Array,
    pEnd1: Float64Array,
    vEnd1: Float64Array,
    parent?: Float64Array,
  ): boolean {
    const kernels = this.passes;
    if (kernels === undefined) {
      let whole1 = 0;
      let whole2 = 0;
      let a1 = 0;
      let a2 = 0;
      let b1 = 0;
      let b2 = 0;
      for (let i = 0; i < rho.length; i++) {
        const r1 = rho1[i];
        const r2 = rho2[i];
        const r = r1 + r2;
        rho[i] = r;
        whole1 += vPlus[i] * r;
        whole2 += vMinus[i] * r;
        const a = r1 + pBeg2[i];
        a1 += vBeg2[i] * a;
        a2 += vMinus[i] * a;
        const b = r2 + pEnd1[i];
        b1 += vPlus[i] * b;
        b2 += vEnd1[i] * b;
      }
      if (parent !== undefined) for (let i = 0; i < rho.length; i++) parent[i] += rho[i];
      return whole1 > 0 && whole2 > 0 && a1 > 0 && a2 > 0 && b1 > 0 && b2 > 0;
    }
    const merged = kernels.merge(
      parent === undefined ? 0 : parent.byteOffset,
      parent === undefined ? 0 : 1,
      rho.byteOffset,
      rho1.byteOffset,
      rho2.byteOffset,
      vMinus.byteOffset,
      vPlus.byteOffset,
      pBeg2.byteOffset,
      vBeg2.byteOffset,
      pEnd1.byteOffset,
      vEnd1.byteOffset,
      this.d,
    );
    return merged !== 0;
  }
}
