/**
 * The leapfrog (velocity Verlet) integrator.
 * @module
 */
import type { LogDensity } from "../../codegen/density.ts";
import type { Metric } from "./metric.ts";
import { evaluate, type Point } from "./point.ts";

/**
 * One leapfrog step of size `eps` (negative to go backwards), in place.
 * `v` is scratch for the velocity. Returns false when the density failed at
 * the new position (the caller treats that as a divergence).
 */
export function leapfrog(density: LogDensity, metric: Metric, pt: Point, eps: number, v: Float64Array): boolean {
  const { q, p, g } = pt;
  const d = q.length;
  const half = 0.5 * eps;
  for (let i = 0; i < d; i++) p[i] += half * g[i];
  metric.velocity(p, v);
  for (let i = 0; i < d; i++) q[i] += eps * v[i];
  if (!evaluate(density, pt)) return false;
  for (let i = 0; i < d; i++) p[i] += half * g[i];
  return true;
}

/** The Hamiltonian −log p(q) + ½ pᵀ M⁻¹ p; +∞ where the density failed. */
export function hamiltonian(metric: Metric, pt: Point): number {
  const h = -pt.lp + metric.kinetic(pt.p);
  return Number.isNaN(h) ? Infinity : h;
}
