/**
 * The leapfrog (velocity Verlet) integrator, as its two updates: a kick
 * moves the momentum along the gradient, a drift moves the position along
 * the velocity M⁻¹p. A single chain composes them around one density call
 * ({@link leapfrog}); lockstep chains compose the same updates around one
 * batch call for all chains. Every update works on the d coordinates
 * starting at `at`.
 * @module
 */
import type { LogDensity } from "../../codegen/density.ts";
import type { Metric } from "./metric.ts";
import { evaluate, type Point } from "./point.ts";

/** p ← p + h·g on [at, at + d): a momentum half step is h = ε/2. */
export function kick(p: Float64Array, g: Float64Array, h: number, at: number, d: number): void {
  for (let i = at; i < at + d; i++) p[i] += h * g[i];
}

/** q ← q + ε·M⁻¹p on [at, at + d); `v` receives the velocity M⁻¹p. */
export function drift(metric: Metric, q: Float64Array, p: Float64Array, eps: number, v: Float64Array, at: number): void {
  metric.velocity(p, v, at);
  for (let i = at; i < at + metric.dim; i++) q[i] += eps * v[i];
}

/**
 * One leapfrog step of size `eps` (negative to go backwards), in place.
 * `v` is scratch for the velocity. Returns false when the density failed at
 * the new position (the caller treats that as a divergence).
 */
export function leapfrog(density: LogDensity, metric: Metric, pt: Point, eps: number, v: Float64Array): boolean {
  halfStep(metric, pt, eps, v);
  if (!evaluate(density, pt)) return false;
  kick(pt.p, pt.g, 0.5 * eps, 0, pt.p.length);
  return true;
}

/**
 * A leapfrog step up to its density call: the first half kick and the drift
 * (the caller evaluates, then kicks by ε/2 again, or has a pass of its own do
 * that last kick). `v` is scratch for the velocity.
 */
export function halfStep(metric: Metric, pt: Point, eps: number, v: Float64Array): void {
  const inv = metric.invDiag;
  if (inv !== undefined) kickDrift(pt, inv, eps);
  else {
    kick(pt.p, pt.g, 0.5 * eps, 0, pt.p.length);
    drift(metric, pt.q, pt.p, eps, v, 0);
  }
}

/**
 * A half kick and a drift under a diagonal metric in one pass (the
 * sampler's hottest loop: one pass over memory instead of three), with the
 * same roundings as {@link kick} then {@link drift}.
 */
function kickDrift(pt: Point, invDiag: Float64Array, eps: number): void {
  const { q, p, g } = pt;
  const h = 0.5 * eps;
  for (let i = 0; i < q.length; i++) {
    const pi = p[i] + h * g[i];
    p[i] = pi;
    q[i] += eps * (invDiag[i] * pi);
  }
}

/** The Hamiltonian −lp + ½ pᵀ M⁻¹ p of momentum p[at, at + d); +∞ where it is not a number (the density failed). */
export function energy(lp: number, metric: Metric, p: Float64Array, at = 0): number {
  const h = -lp + metric.kinetic(p, at);
  return Number.isNaN(h) ? Infinity : h;
}

/** The Hamiltonian of a point. */
export function hamiltonian(metric: Metric, pt: Point): number {
  return energy(pt.lp, metric, pt.p);
}
