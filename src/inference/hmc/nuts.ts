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
 * in a workspace sized once per chain).
 * @module
 */
import type { LogDensity } from "../../codegen/density.ts";
import { dotArrays } from "../../numeric/dense.ts";
import type { Rng } from "../../random/rng.ts";
import type { DrawStats } from "../draws.ts";
import { hamiltonian, leapfrog } from "./integrator.ts";
import type { Metric } from "./metric.ts";
import { copyPoint, newPoint, type Point } from "./point.ts";

/** Energy error beyond which a trajectory is divergent (Stan's max_deltaH). */
export const MAX_DELTA_H = 1000;

/** Settings of a NUTS transition. */
export interface NutsSettings {
  readonly stepSize: number;
  readonly maxDepth: number;
}

/** Vectors of one level of the tree recursion. */
interface Level {
  readonly pInitEnd: Float64Array;
  readonly vInitEnd: Float64Array;
  readonly rhoInit: Float64Array;
  readonly pFinalBeg: Float64Array;
  readonly vFinalBeg: Float64Array;
  readonly rhoFinal: Float64Array;
  readonly rhoExtended: Float64Array;
  readonly proposeFinal: Point;
}

/** Log-sum-exp of two numbers. */
function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** The generalized U-turn criterion: both ends still move along the summed momentum ρ. */
function noUTurn(vMinus: Float64Array, vPlus: Float64Array, rho: Float64Array): boolean {
  return dotArrays(vPlus, rho) > 0 && dotArrays(vMinus, rho) > 0;
}

/** out ← a + b. */
function sum(out: Float64Array, a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i] + b[i];
}

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
  private readonly z: Point;
  private readonly fwd: Point;
  private readonly bck: Point;
  private readonly sample: Point;
  private readonly propose: Point;
  private readonly v: Float64Array;
  private readonly top: {
    pFwdFwd: Float64Array;
    vFwdFwd: Float64Array;
    pFwdBck: Float64Array;
    vFwdBck: Float64Array;
    pBckFwd: Float64Array;
    vBckFwd: Float64Array;
    pBckBck: Float64Array;
    vBckBck: Float64Array;
    rho: Float64Array;
    rhoFwd: Float64Array;
    rhoBck: Float64Array;
    rhoExtended: Float64Array;
  };
  private readonly levels: Level[] = [];
  // Per-transition accumulators (Stan keeps them as members too).
  private nLeapfrog = 0;
  private sumMetroProb = 0;
  private divergent = false;
  private recovered = 0;
  private h0 = 0;
  private eps = 0;
  private rng!: Rng;

  constructor(
    private readonly density: LogDensity,
    public metric: Metric,
  ) {
    const d = (this.d = density.dim);
    const vec = () => new Float64Array(d);
    this.z = newPoint(d);
    this.fwd = newPoint(d);
    this.bck = newPoint(d);
    this.sample = newPoint(d);
    this.propose = newPoint(d);
    this.v = vec();
    this.top = {
      pFwdFwd: vec(),
      vFwdFwd: vec(),
      pFwdBck: vec(),
      vFwdBck: vec(),
      pBckFwd: vec(),
      vBckFwd: vec(),
      pBckBck: vec(),
      vBckBck: vec(),
      rho: vec(),
      rhoFwd: vec(),
      rhoBck: vec(),
      rhoExtended: vec(),
    };
  }

  private level(depth: number): Level {
    while (this.levels.length <= depth) {
      const vec = () => new Float64Array(this.d);
      this.levels.push({
        pInitEnd: vec(),
        vInitEnd: vec(),
        rhoInit: vec(),
        pFinalBeg: vec(),
        vFinalBeg: vec(),
        rhoFinal: vec(),
        rhoExtended: vec(),
        proposeFinal: newPoint(this.d),
      });
    }
    return this.levels[depth];
  }

  /**
   * One transition from `current` (position, log density and gradient set;
   * its momentum is redrawn). On return `current` holds the new draw.
   */
  transition(current: Point, rng: Rng, settings: NutsSettings): DrawStats {
    const { z, fwd, bck, sample, propose, top } = this;
    this.rng = rng;
    this.eps = settings.stepSize;
    this.nLeapfrog = 0;
    this.sumMetroProb = 0;
    this.divergent = false;
    this.recovered = 0;

    this.metric.sampleMomentum(rng, current.p);
    copyPoint(z, current);
    copyPoint(fwd, z);
    copyPoint(bck, z);
    copyPoint(sample, z);
    copyPoint(propose, z);
    for (const p of [top.pFwdFwd, top.pFwdBck, top.pBckFwd, top.pBckBck, top.rho]) p.set(z.p);
    this.metric.velocity(z.p, top.vFwdFwd);
    for (const v of [top.vFwdBck, top.vBckFwd, top.vBckBck]) v.set(top.vFwdFwd);

    let logSumWeight = 0;
    this.h0 = hamiltonian(this.metric, z);
    let depth = 0;
    while (depth < settings.maxDepth) {
      top.rhoFwd.fill(0);
      top.rhoBck.fill(0);
      let subtreeWeight: number;
      if (rng.uniform() > 0.5) {
        // Extend forward: the trajectory so far becomes the backward part.
        copyPoint(z, fwd);
        top.rhoBck.set(top.rho);
        top.pBckFwd.set(top.pFwdFwd);
        top.vBckFwd.set(top.vFwdFwd);
        subtreeWeight = this.buildTree(depth, propose, top.vFwdBck, top.vFwdFwd, top.rhoFwd, top.pFwdBck, top.pFwdFwd, 1);
        copyPoint(fwd, z);
      } else {
        copyPoint(z, bck);
        top.rhoFwd.set(top.rho);
        top.pFwdBck.set(top.pBckBck);
        top.vFwdBck.set(top.vBckBck);
        subtreeWeight = this.buildTree(depth, propose, top.vBckFwd, top.vBckBck, top.rhoBck, top.pBckFwd, top.pBckBck, -1);
        copyPoint(bck, z);
      }
      if (Number.isNaN(subtreeWeight)) break;
      depth++;
      // Biased progressive sampling: favour the new subtree by its weight relative to the old trajectory.
      if (subtreeWeight > logSumWeight) copyPoint(sample, propose);
      else if (rng.uniform() < Math.exp(subtreeWeight - logSumWeight)) copyPoint(sample, propose);
      logSumWeight = logAddExp(logSumWeight, subtreeWeight);

      sum(top.rho, top.rhoBck, top.rhoFwd);
      let persist = noUTurn(top.vBckBck, top.vFwdFwd, top.rho);
      sum(top.rhoExtended, top.rhoBck, top.pFwdBck);
      persist &&= noUTurn(top.vBckBck, top.vFwdBck, top.rhoExtended);
      sum(top.rhoExtended, top.rhoFwd, top.pBckFwd);
      persist &&= noUTurn(top.vBckFwd, top.vFwdFwd, top.rhoExtended);
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
    const z = this.z;
    if (depth === 0) {
      if (!leapfrog(this.density, this.metric, z, sign * this.eps, this.v)) this.recovered++;
      this.nLeapfrog++;
      const h = hamiltonian(this.metric, z);
      if (h - this.h0 > MAX_DELTA_H) this.divergent = true;
      this.sumMetroProb += this.h0 - h > 0 ? 1 : Math.exp(this.h0 - h);
      copyPoint(propose, z);
      this.metric.velocity(z.p, vBeg);
      vEnd.set(vBeg);
      for (let i = 0; i < rho.length; i++) rho[i] += z.p[i];
      pBeg.set(z.p);
      pEnd.set(z.p);
      return this.divergent ? Number.NaN : this.h0 - h;
    }
    const lv = this.level(depth);
    lv.rhoInit.fill(0);
    const init = this.buildTree(depth - 1, propose, vBeg, lv.vInitEnd, lv.rhoInit, pBeg, lv.pInitEnd, sign);
    if (Number.isNaN(init)) return Number.NaN;
    // Save the end of the initial half before the final half reuses the levels below.
    const pInitEnd = lv.pInitEnd;
    const vInitEnd = lv.vInitEnd;
    copyPoint(lv.proposeFinal, z);
    lv.rhoFinal.fill(0);
    const fin = this.buildTree(depth - 1, lv.proposeFinal, lv.vFinalBeg, vEnd, lv.rhoFinal, lv.pFinalBeg, pEnd, sign);
    if (Number.isNaN(fin)) return Number.NaN;

    // Uniform (by weight) sampling between the two halves.
    const weight = logAddExp(init, fin);
    if (fin > weight) copyPoint(propose, lv.proposeFinal);
    else if (this.rng.uniform() < Math.exp(fin - weight)) copyPoint(propose, lv.proposeFinal);

    const rhoSubtree = lv.rhoExtended;
    sum(rhoSubtree, lv.rhoInit, lv.rhoFinal);
    for (let i = 0; i < rho.length; i++) rho[i] += rhoSubtree[i];
    let persist = noUTurn(vBeg, vEnd, rhoSubtree);
    sum(lv.rhoExtended, lv.rhoInit, lv.pFinalBeg);
    persist &&= noUTurn(vBeg, lv.vFinalBeg, lv.rhoExtended);
    sum(lv.rhoExtended, lv.rhoFinal, pInitEnd);
    persist &&= noUTurn(vInitEnd, vEnd, lv.rhoExtended);
    return persist ? weight : Number.NaN;
  }
}
