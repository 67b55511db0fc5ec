/**
 * Shared checks for tests: the comparison rule of the design,
 * |a − b| ≤ rtol · max(|b|, ‖g‖∞, 1), and random points.
 */
import { expect } from "vitest";
import { Rng } from "../../src/random/rng.ts";

/** Whether a and b agree under the design's rule with scale `gmax`. */
export function close(a: number, b: number, rtol: number, gmax: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= rtol * Math.max(Math.abs(b), gmax, 1);
}

/** Asserts agreement of a log density and gradient with a reference one. */
export function expectAgree(
  got: { logp: number; grad: ArrayLike<number> },
  want: { logp: number; grad: ArrayLike<number> },
  rtol: number,
  where: string,
): void {
  const gmax = Array.from(want.grad).reduce((acc, g) => Math.max(acc, Math.abs(g)), 0);
  if (!close(got.logp, want.logp, rtol, gmax)) {
    expect.fail(`${where}: log p ${got.logp} vs reference ${want.logp}`);
  }
  for (let k = 0; k < want.grad.length; k++) {
    if (!close(got.grad[k], want.grad[k], rtol, gmax)) {
      expect.fail(`${where}: ∂/∂θ[${k}] ${got.grad[k]} vs reference ${want.grad[k]} (‖g‖∞ ${gmax})`);
    }
  }
}

/** `count` points uniform in (−r, r)^dim from a seeded stream. */
export function randomPoints(dim: number, count: number, seed: number, r = 2): Float64Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => Float64Array.from({ length: dim }, () => r * (2 * rng.uniform() - 1)));
}

/** Central finite-difference gradient of f at x. */
export function numericGradient(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let k = 0; k < x.length; k++) {
    const xp = Float64Array.from(x);
    const xm = Float64Array.from(x);
    xp[k] += h;
    xm[k] -= h;
    g[k] = (f(xp) - f(xm)) / (2 * h);
  }
  return g;
}
