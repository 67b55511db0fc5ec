/**
 * A point of phase space (position, momentum, log density and its
 * gradient), and its evaluation with faults contained: a density that
 * throws or returns a non-finite value marks the point, it does not crash
 * the chain.
 * @module
 */
import type { LogDensity } from "../../codegen/density.ts";

/** Position q, momentum p, log density lp at q and its gradient g. */
export interface Point {
  readonly q: Float64Array;
  readonly p: Float64Array;
  readonly g: Float64Array;
  lp: number;
}

/** A point of d zeros. */
export function newPoint(d: number): Point {
  return { q: new Float64Array(d), p: new Float64Array(d), g: new Float64Array(d), lp: 0 };
}

/** dst ← src (one loop: for the small d of most models, cheaper than three TypedArray.set calls). */
export function copyPoint(dst: Point, src: Point): void {
  const { q, p, g } = src;
  for (let i = 0; i < q.length; i++) {
    dst.q[i] = q[i];
    dst.p[i] = p[i];
    dst.g[i] = g[i];
  }
  dst.lp = src.lp;
}

/**
 * Below this length a loop copies or zeroes a vector faster than the
 * TypedArray builtins, whose call costs tens of ns; above it the builtins'
 * memcpy and memset win.
 */
const BUILTIN_MIN = 16;

/** dst ← src (same length). */
export function copyVec(dst: Float64Array, src: Float64Array): void {
  if (src.length >= BUILTIN_MIN) dst.set(src);
  else for (let i = 0; i < src.length; i++) dst[i] = src[i];
}

/** v ← 0. */
export function zero(v: Float64Array): void {
  if (v.length >= BUILTIN_MIN) v.fill(0);
  else for (let i = 0; i < v.length; i++) v[i] = 0;
}

/** Whether log p and its gradient g[at, at + d) are all finite. */
export function isFiniteResult(lp: number, g: Float64Array, at: number, d: number): boolean {
  let ok = Number.isFinite(lp);
  for (let i = at; ok && i < at + d; i++) ok = Number.isFinite(g[i]);
  return ok;
}

/**
 * Evaluates log p and its gradient at `pt.q`. Returns false (with lp = −∞)
 * when the density throws or gives a non-finite value or gradient.
 */
export function evaluate(density: LogDensity, pt: Point): boolean {
  let lp: number;
  try {
    lp = density.logpGrad(pt.q, pt.g);
  } catch {
    pt.lp = -Infinity;
    return false;
  }
  const ok = isFiniteResult(lp, pt.g, 0, pt.g.length);
  pt.lp = ok ? lp : -Infinity;
  return ok;
}
