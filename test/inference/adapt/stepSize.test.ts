/**
 * Stan's step-size heuristic (adapt/stepSize.ts; Stan's
 * base_hmc::init_stepsize): from ε, one leapfrog step per trial with fresh
 * momenta; the first trial sets the direction (double if its acceptance
 * exceeds 0.8, else halve), and the search stops at the first trial whose
 * acceptance is no longer on that side of 0.8, throwing when the step size
 * passes 1e7 or reaches 0.
 */
import { describe, expect, it } from "vitest";
import type { LogDensity } from "../../../src/codegen/density.ts";
import { SamplerError } from "../../../src/errors.ts";
import { acceptProbability, initStepSize, stepSizeSearch } from "../../../src/inference/adapt/stepSize.ts";
import { diagMetric } from "../../../src/inference/hmc/metric.ts";
import { evaluate, newPoint, type Point } from "../../../src/inference/hmc/point.ts";
import { Rng } from "../../../src/random/rng.ts";
import { standardNormal } from "../../helpers/gaussian.ts";

/** Drives the search with acceptance `accept(ε, trial)`; returns the step sizes tried and the result (or the error thrown). */
function drive(eps0: number, accept: (eps: number, trial: number) => number): { tried: number[]; result?: number; error?: unknown } {
  const tried: number[] = [];
  const search = stepSizeSearch(eps0);
  try {
    for (let r = search.next(); ;) {
      if (r.done === true) return { tried, result: r.value };
      tried.push(r.value);
      if (tried.length > 5000) throw new Error("the search does not stop");
      r = search.next(accept(r.value, tried.length - 1));
    }
  } catch (error) {
    return { tried, error };
  }
}

const gauss = (eps: number): number => Math.exp(-eps * eps);

describe("stepSizeSearch with a synthetic acceptance", () => {
  it("doubles while acceptance > 0.8 and returns the first step size where it is not", () => {
    // a(ε) = exp(−ε²) from ε = 0.01, by hand: a(0.32) = exp(−0.1024) ≈ 0.903 > 0.8,
    // a(0.64) = exp(−0.4096) ≈ 0.664 ≤ 0.8. The first trial (0.01) sets the direction; Stan then tries
    // the same ε again before doubling: 0.01, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64 → 0.64.
    const { tried, result } = drive(0.01, gauss);
    expect(tried).toEqual([0.01, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64]);
    expect(result).toBe(0.64);
  });

  it("halves while acceptance < 0.8 and returns the first step size where it is not", () => {
    // a(ε) = exp(−ε²) from ε = 4, by hand: a(0.5) = exp(−0.25) ≈ 0.7788 < 0.8, a(0.25) = exp(−0.0625) ≈ 0.939.
    // Trials 4, 4, 2, 1, 0.5, 0.25 → 0.25.
    const { tried, result } = drive(4, gauss);
    expect(tried).toEqual([4, 4, 2, 1, 0.5, 0.25]);
    expect(result).toBe(0.25);
  });

  it("an acceptance of exactly 0.8 stops the search in either direction", () => {
    // Stan stops on !(a > 0.8) going up and on !(a < 0.8) going down: 0.8 itself stops both.
    // Up: 1 (0.9, up), 1 (0.9), 2 (0.8: stop) → 2.  Down: 1 (0.5, down), 1 (0.5), 0.5 (0.8: stop) → 0.5.
    const up = drive(1, (e) => (e < 2 ? 0.9 : 0.8));
    expect(up.tried).toEqual([1, 1, 2]);
    expect(up.result).toBe(2);
    const down = drive(1, (e) => (e > 0.5 ? 0.5 : 0.8));
    expect(down.tried).toEqual([1, 1, 0.5]);
    expect(down.result).toBe(0.5);
  });

  it("the first trial sets the direction; a contradicting second trial at the same ε returns ε", () => {
    // Proves the direction is fixed by trial 0 and never reversed: trial 0 says > 0.8 (go up), trial 1 at the
    // same ε says 0.3 → stop at ε, not halve. And the reverse: trial 0 says 0.3 (go down), trial 1 says 0.95 → stop.
    expect(drive(0.7, (_e, t) => (t === 0 ? 0.95 : 0.3))).toEqual({ tried: [0.7, 0.7], result: 0.7 });
    expect(drive(0.7, (_e, t) => (t === 0 ? 0.3 : 0.95))).toEqual({ tried: [0.7, 0.7], result: 0.7 });
    // Noisy: up, up, then a single low draw at 2.8 stops it although later ones would pass.
    expect(drive(0.7, (_e, t) => (t === 3 ? 0.1 : 0.99))).toEqual({ tried: [0.7, 0.7, 1.4, 2.8], result: 2.8 });
  });

  it("throws a SamplerError when the step size would pass 1e7", () => {
    // a ≡ 1 from 1: 2^23 = 8,388,608 ≤ 1e7 is tried, 2^24 = 16,777,216 > 1e7 is not: it throws instead.
    const { tried, error } = drive(1, () => 1);
    expect(error).toBeInstanceOf(SamplerError);
    expect(tried[tried.length - 1]).toBe(2 ** 23);
    expect(tried.length).toBe(2 + 23);
    // Exactly 1e7 is still tried (from 5e6: 5e6, 5e6, 1e7), 2e7 is not.
    const edge = drive(5e6, () => 1);
    expect(edge.tried).toEqual([5e6, 5e6, 1e7]);
    expect(edge.error).toBeInstanceOf(SamplerError);
  });

  it("throws a SamplerError when halving reaches 0", () => {
    // a ≡ 0 from 1: halving reaches the smallest subnormal 2^−1074 = Number.MIN_VALUE, whose half rounds to 0:
    // it throws instead of trying 0. Trials: 1, 1, 2^−1, …, 2^−1074 (1076 in all).
    const { tried, error } = drive(1, () => 0);
    expect(error).toBeInstanceOf(SamplerError);
    expect(tried[tried.length - 1]).toBe(Number.MIN_VALUE);
    expect(tried.length).toBe(2 + 1074);
    expect(tried.includes(0)).toBe(false);
  });
});

describe("acceptProbability", () => {
  it("is min(1, exp(h₀ − h)) and 0 at h = +∞", () => {
    // Proves the acceptance of a move from energy h₀ to h, by hand: exp(−0.5) for an increase of 0.5; 1 for a decrease.
    expect(acceptProbability(1, 1.5)).toBeCloseTo(Math.exp(-0.5), 15);
    expect(acceptProbability(1.5, 1)).toBe(1);
    expect(acceptProbability(3, 3)).toBe(1);
    expect(acceptProbability(0, Infinity)).toBe(0);
  });
});

/**
 * min(1, exp(−ΔH)) of one leapfrog step of size ε from q with momentum p on
 * the standard normal with a unit metric, in closed form:
 * p½ = p − (ε/2) q, q′ = q + ε p½, p′ = p½ − (ε/2) q′, H = ½(‖q‖² + ‖p‖²).
 */
function oneStepAccept(q: Float64Array, p: ArrayLike<number>, eps: number): number {
  let dH = 0;
  for (let i = 0; i < q.length; i++) {
    const ph = p[i] - 0.5 * eps * q[i];
    const q1 = q[i] + eps * ph;
    const p1 = ph - 0.5 * eps * q1;
    dH += 0.5 * (q1 * q1 + p1 * p1) - 0.5 * (q[i] * q[i] + p[i] * p[i]);
  }
  return Math.min(1, Math.exp(-dH));
}

/** Stan's init_stepsize, transcribed: each trial draws d fresh standard normal momenta from `rng`. */
function stanInitStepSize(q: Float64Array, eps: number, rng: Rng): number {
  // The momenta as the unit metric draws them (Rng.normals: Box–Muller's pairs).
  const p = new Float64Array(q.length);
  const trial = (): number => {
    rng.normals(p, 0, p.length);
    return oneStepAccept(q, p, eps);
  };
  const direction = Math.log(trial()) > Math.log(0.8) ? 1 : -1;
  for (;;) {
    const a = Math.log(trial());
    if (direction === 1 && !(a > Math.log(0.8))) return eps;
    if (direction === -1 && !(a < Math.log(0.8))) return eps;
    eps = direction === 1 ? 2 * eps : 0.5 * eps;
  }
}

/** The expected one-step acceptance at q for step size ε: the mean over m momentum draws (Monte Carlo). */
function expectedAccept(q: Float64Array, eps: number, rng: Rng, m: number): number {
  const p = new Float64Array(q.length);
  let s = 0;
  for (let k = 0; k < m; k++) {
    for (let i = 0; i < p.length; i++) p[i] = rng.normal();
    s += oneStepAccept(q, p, eps);
  }
  return s / m;
}

function pointAt(density: LogDensity, q: ArrayLike<number>): Point {
  const pt = newPoint(density.dim);
  pt.q.set(q);
  expect(evaluate(density, pt)).toBe(true);
  return pt;
}

describe("initStepSize on a standard normal with a unit metric", () => {
  const D = 10;
  const density = standardNormal(D);
  const metric = diagMetric(new Float64Array(D).fill(1));

  it("equals a transcription of Stan's init_stepsize fed the same momenta, and leaves the point unchanged", () => {
    // Proves the heuristic end to end (trial order, fresh momenta per trial, leapfrog, energy, direction,
    // stopping rule) against an independent closed-form transcription: both draw their momenta from
    // Rng(seed, 1) (a unit metric's momentum is d standard normals), so they must return the same ε,
    // for 30 starting points and starting step sizes on both sides of the answer.
    for (let seed = 1; seed <= 30; seed++) {
      const r0 = new Rng(seed, 0);
      const pt = pointAt(
        density,
        Array.from({ length: D }, () => r0.normal()),
      );
      const before = { q: Array.from(pt.q), p: Array.from(pt.p), g: Array.from(pt.g), lp: pt.lp };
      for (const eps0 of [1, 0.01, 100]) {
        const got = initStepSize(density, metric, pt, eps0, new Rng(seed, 1));
        expect(got).toBe(stanInitStepSize(Float64Array.from(before.q), eps0, new Rng(seed, 1)));
      }
      expect({ q: Array.from(pt.q), p: Array.from(pt.p), g: Array.from(pt.g), lp: pt.lp }).toEqual(before);
    }
  });

  it("brackets an expected one-step acceptance of 0.8 on average", () => {
    // Proves the returned ε sits at the crossing of 0.8: over 40 starting points q ~ N(0, I₁₀), with
    // E[a](ε) the expected one-step acceptance at q (mean over 2,000 momenta; MC error ≤ 0.5/√2000 ≈ 0.011
    // per point, ≈ 0.002 averaged over 40):
    //  - searching up from 0.01: mean E[a](ε*) ≤ 0.8 and mean E[a](ε*/2) ≥ 0.8 − 0.05;
    //  - searching down from 100: mean E[a](2ε*) ≤ 0.8 and mean E[a](ε*) ≥ 0.8 − 0.05.
    // The 0.05 allowance on the small side: each trial sees one momentum draw, whose acceptance is 1
    // whenever ΔH < 0, so a single draw reaches 0.8 more often than the mean does and the search can stop
    // (or go on) where the mean is a little under 0.8 (about 0.78–0.84 in runs of this test). One doubling
    // or halving too many or too few moves one of the means across 0.8 by far more (to ≈ 0.3 or ≈ 0.95).
    const K = 40;
    const sums = { upAt: 0, upHalf: 0, downAt: 0, downDouble: 0 };
    for (let seed = 1; seed <= K; seed++) {
      const r0 = new Rng(seed, 0);
      const pt = pointAt(
        density,
        Array.from({ length: D }, () => r0.normal()),
      );
      const mc = new Rng(seed, 2);
      const up = initStepSize(density, metric, pt, 0.01, new Rng(seed, 1));
      sums.upAt += expectedAccept(pt.q, up, mc, 2000) / K;
      sums.upHalf += expectedAccept(pt.q, up / 2, mc, 2000) / K;
      const down = initStepSize(density, metric, pt, 100, new Rng(seed, 3));
      sums.downAt += expectedAccept(pt.q, down, mc, 2000) / K;
      sums.downDouble += expectedAccept(pt.q, 2 * down, mc, 2000) / K;
    }
    expect(sums.upAt).toBeLessThanOrEqual(0.8);
    expect(sums.upHalf).toBeGreaterThanOrEqual(0.75);
    expect(sums.downDouble).toBeLessThanOrEqual(0.8);
    expect(sums.downAt).toBeGreaterThanOrEqual(0.75);
  });
});
