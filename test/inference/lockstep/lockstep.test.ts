/**
 * Lockstep chains (ChEES-HMC, src/inference/lockstep/), piece by piece: the
 * Halton jitter, the ChEES gradient's sign, Adam's first step, the kernel's
 * fault handling; the sampler resumed from a checkpoint continues exactly,
 * and chain k starts where NUTS chain k starts. Whole runs are tested in
 * test/fit/lockstep.test.ts.
 */
import { describe, expect, it } from "vitest";
import { benchmarks } from "../../../examples/index.ts";
import { batchOf } from "../../../src/codegen/batch.ts";
import { compile } from "../../../src/codegen/compile.ts";
import type { LogDensity } from "../../../src/codegen/density.ts";
import { Chain } from "../../../src/inference/chain.ts";
import { cheesGradient, cheesInit, cheesUpdate, DEFAULT_CHEES, halton, leapfrogSteps } from "../../../src/inference/lockstep/chees.ts";
import { LockstepKernel, newState } from "../../../src/inference/lockstep/kernel.ts";
import { type LockstepIteration, LockstepSampler, type LockstepSettings } from "../../../src/inference/lockstep/sampler.ts";
import { Rng } from "../../../src/random/rng.ts";
import { gaussian } from "../../helpers/gaussian.ts";

describe("lockstep pieces", () => {
  it("the Halton jitter is the base-2 van der Corput sequence", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(halton)).toEqual([0.5, 0.25, 0.75, 0.125, 0.625, 0.375, 0.875]);
    expect(leapfrogSteps(0.5, 1, 0.1, 1000)).toBe(5);
    expect(leapfrogSteps(0.01, 1, 0.5, 1000)).toBe(1);
    expect(leapfrogSteps(1, 1e6, 0.5, 1000)).toBe(1000);
  });

  // Exact flow of N(0, I): x(t) = x cos t + p sin t. ChEES ∝ sin²t, so its
  // derivative sin 2t is positive below π/2 and negative above.
  for (const [t, sign] of [
    [0.5, 1],
    [1.2, 1],
    [2.0, -1],
    [2.8, -1],
  ] as const) {
    it(`the ChEES gradient of the exact flow of a Gaussian at t = ${t} is ${sign > 0 ? "positive" : "negative"}`, () => {
      const n = 4096;
      const d = 5;
      const rng = new Rng(3, 1);
      const start = new Float64Array(n * d);
      const proposal = new Float64Array(n * d);
      const momentum = new Float64Array(n * d);
      for (let i = 0; i < n * d; i++) {
        const x = rng.normal();
        const p = rng.normal();
        start[i] = x;
        proposal[i] = x * Math.cos(t) + p * Math.sin(t);
        momentum[i] = -x * Math.sin(t) + p * Math.cos(t);
      }
      const s = {
        n,
        dim: d,
        start,
        proposal,
        proposalMomentum: momentum,
        acceptProb: new Float64Array(n).fill(1),
        divergent: new Uint8Array(n),
        jitter: 1,
      };
      const g = cheesGradient(s, new Float64Array(d).fill(1), t);
      // E[g] = t·d·sin 2t (per coordinate ∂/∂t of sin²t, times dt/dlog t = t, summed over d); sd ≈ √(Var/n) is well below it.
      expect(Math.sign(g)).toBe(sign);
      expect(g / (t * d * Math.sin(2 * t))).toBeGreaterThan(0.5);
      expect(g / (t * d * Math.sin(2 * t))).toBeLessThan(1.5);
    });
  }

  it("Adam's first step moves log T by the learning rate, in the gradient's direction; T stays below maxLeapfrog steps", () => {
    const s = cheesInit(1);
    cheesUpdate(s, 123, 0.1);
    expect(s.logT).toBeCloseTo(DEFAULT_CHEES.learningRate, 12);
    cheesUpdate(s, -1e-3, 0.1);
    expect(s.logT).toBeLessThan(DEFAULT_CHEES.learningRate);
    const big = cheesInit(1e6);
    cheesUpdate(big, 1, 0.1);
    expect(Math.exp(big.logT)).toBeCloseTo(0.1 * DEFAULT_CHEES.maxLeapfrog, 8);
  });

  it("a density that fails makes that chain's trajectory divergent (counted as recovered) and the chain stays put", async () => {
    const d = 2;
    const inner = gaussian([0, 0], [1, 1]);
    // Fails right of x = 1.5: chains started there or moving there diverge.
    const failing: LogDensity = { ...inner, logpGrad: (q, g) => (q[0] > 1.5 ? Number.NaN : inner.logpGrad(q, g)) };
    const n = 64;
    const state = newState(n, d);
    const rng = new Rng(5, 1);
    for (let i = 0; i < n * d; i++) state.q[i] = 2.5 * rng.uniform() - 1.5;
    const density = batchOf(failing);
    await density.logpGradBatch(state.q, n, state.lp, state.g);
    const before = Float64Array.from(state.q);
    const rngs = Array.from({ length: n }, (_, c) => new Rng(5, c + 1));
    const info = await new LockstepKernel(density, n).transition(state, rngs, {
      stepSize: 0.5,
      steps: 8,
      invMetric: new Float64Array(d).fill(1),
    });
    let failed = 0;
    for (let c = 0; c < n; c++) {
      if (info.recovered[c] === 1) {
        failed++;
        expect(info.divergent[c]).toBe(1);
        expect(info.acceptProb[c]).toBe(0);
        expect(Array.from(state.q.subarray(c * d, (c + 1) * d))).toEqual(Array.from(before.subarray(c * d, (c + 1) * d)));
      }
      expect(state.q[c * d]).toBeLessThanOrEqual(1.5);
      expect(Number.isFinite(state.lp[c])).toBe(true);
    }
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(n);
  });
});

describe("the lockstep sampler", () => {
  const { model, data } = benchmarks.eight_schools;
  const density = compile(model, data);

  it("a run resumed from a JSON checkpoint continues exactly (across a metric window)", async () => {
    const settings: LockstepSettings = { chains: 8, seed: 43, warmup: 120, draws: 20, targetAccept: 0.651, maxLeapfrog: 1000 };
    const take = async (s: LockstepSampler, count = Infinity) => {
      const out: { iter: number; theta: number[]; stats: LockstepIteration["stats"] }[] = [];
      while (out.length < count && !s.done) {
        const it = (await s.next())!;
        out.push({ iter: it.iter, theta: Array.from(it.theta), stats: it.stats });
      }
      return out;
    };
    const uninterrupted = await LockstepSampler.create(batchOf(density), settings);
    const whole = await take(uninterrupted);
    const s = await LockstepSampler.create(batchOf(density), settings);
    // 120 warm-up iterations get one metric window, iterations 19–108: the checkpoint falls inside it.
    const first = await take(s, 90);
    const resumed = await LockstepSampler.create(batchOf(density), settings, JSON.parse(JSON.stringify(s.checkpoint())));
    const rest = await take(resumed);
    expect([...first, ...rest]).toEqual(whole);
    expect(resumed.adaptation()).toEqual(uninterrupted.adaptation());
  });

  it("lockstep chain k starts where NUTS chain k starts", async () => {
    const s = await LockstepSampler.create(batchOf(density), {
      chains: 4,
      seed: 44,
      warmup: 10,
      draws: 0,
      targetAccept: 0.651,
      maxLeapfrog: 1000,
    });
    const theta = s.checkpoint().theta;
    const d = density.dim;
    for (let k = 1; k <= 4; k++) {
      const nuts = new Chain(density, { chain: k, seed: 44, warmup: 10, draws: 0, maxDepth: 10, targetAccept: 0.8, metric: "diag" });
      expect(theta.slice((k - 1) * d, k * d)).toEqual(nuts.checkpoint().theta);
    }
  });
});
