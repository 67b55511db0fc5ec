/**
 * Lockstep chains (ChEES-HMC, src/inference/lockstep/): the pieces (Halton
 * jitter, the ChEES gradient's sign, Adam's first step, the kernel's fault
 * handling), exact Gaussian targets, eight schools against Stan's
 * reference, and reproducibility: same seed, same draws; two batch
 * densities that return the same numbers give the same draws; a resumed
 * run continues exactly; chain k starts where NUTS chain k starts.
 *
 * Recovery checks are z-tests of means and sds (test/helpers/reference.ts):
 * against exact moments with our MCSE, or against Stan's reference with
 * both sides' MCSEs, Bonferroni over all tested quantities of a run at
 * family-wise level 1e-3.
 */
import { describe, expect, it } from "vitest";
import { benchmarks } from "../../examples/index.ts";
import { type BatchDensity, batchOf } from "../../src/codegen/batch.ts";
import { compile } from "../../src/codegen/compile.ts";
import type { LogDensity } from "../../src/codegen/density.ts";
import { Chain } from "../../src/inference/chain.ts";
import { Fit } from "../../src/fit/fit.ts";
import { cheesGradient, cheesInit, cheesUpdate, DEFAULT_CHEES, halton, leapfrogSteps } from "../../src/inference/lockstep/chees.ts";
import { LockstepKernel, newState } from "../../src/inference/lockstep/kernel.ts";
import { sampleLockstep } from "../../src/fit/lockstep.ts";
import { type LockstepOptions, type LockstepTarget, sampleLockstepDensity } from "../../src/fit/lockstepDensity.ts";
import { type LockstepIteration, LockstepSampler, type LockstepSettings } from "../../src/inference/lockstep/sampler.ts";
import type { LockstepAdaptation } from "../../src/inference/lockstep/warmup.ts";
import { Rng } from "../../src/random/rng.ts";
import { benchmarkReference, compareToReference, type RefParam } from "../helpers/reference.ts";

/** N(μ, diag(σ²)) written by hand, reporting x as is. */
function gaussian(mu: readonly number[], sd: readonly number[]): LogDensity & LockstepTarget {
  const d = mu.length;
  return {
    dim: d,
    logp: (q) => mu.reduce((s, m, i) => s - 0.5 * ((q[i] - m) / sd[i]) ** 2, 0),
    logpGrad(q, g) {
      let s = 0;
      for (let i = 0; i < d; i++) {
        const z = (q[i] - mu[i]) / sd[i];
        s -= 0.5 * z * z;
        g[i] = -z / sd[i];
      }
      return s;
    },
    valueLayout: [{ name: "x", shape: [d], offset: 0, size: d, kind: "parameter" }],
    valueSize: d,
    constrain: (q, out = new Float64Array(d)) => {
      out.set(q);
      return out;
    },
  };
}

const exact = (mu: readonly number[], sd: readonly number[]): Record<string, RefParam> =>
  Object.fromEntries(mu.map((m, i) => [`x[${i + 1}]`, { mean: m, sd: sd[i], mcse_mean: 0, mcse_sd: 0 }]));


/** Runs and keeps the adaptation it ended warm-up with. */
async function run(density: BatchDensity, target: LockstepTarget, opts: LockstepOptions) {
  let adapted: LockstepAdaptation | undefined;
  const fit = await sampleLockstepDensity(density, target, { ...opts, onAdapted: (a) => (adapted = a) });
  return { fit, adapted: adapted! };
}

describe("lockstep pieces", () => {
  it("the Halton jitter is the base-2 van der Corput sequence", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(halton)).toEqual([0.5, 0.25, 0.75, 0.125, 0.625, 0.375, 0.875]);
    expect(leapfrogSteps(0.5, 1, 0.1, 1000)).toBe(5);
    expect(leapfrogSteps(0.01, 1, 0.5, 1000)).toBe(1);
    expect(leapfrogSteps(1, 1e6, 0.5, 1000)).toBe(1000);
  });

  // Exact flow of N(0, I): x(t) = x cos t + p sin t. ChEES ∝ sin²t, so its
  // derivative sin 2t is positive below π/2 and negative above.
  for (const [t, sign] of [[0.5, 1], [1.2, 1], [2.0, -1], [2.8, -1]] as const) {
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
      const s = { n, dim: d, start, proposal, proposalMomentum: momentum, acceptProb: new Float64Array(n).fill(1), divergent: new Uint8Array(n), jitter: 1 };
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
    const info = await new LockstepKernel(density, n).transition(state, rngs, { stepSize: 0.5, steps: 8, invMetric: new Float64Array(d).fill(1) });
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

describe("lockstep chains recover exact Gaussian targets", () => {
  it("iid N(0, 1) in 10 dimensions, 128 chains; T near the jittered ChEES optimum", async () => {
    const mu = new Array(10).fill(0);
    const sd = new Array(10).fill(1);
    const g = gaussian(mu, sd);
    const { fit, adapted } = await run(batchOf(g), g, { chains: 128, warmup: 400, draws: 200, seed: 21 });
    expect(compareToReference(fit.summary(), exact(mu, sd))).toEqual([]);
    expect(fit.diagnostics().divergences.reduce((a, b) => a + b, 0)).toBe(0);
    // For the exact flow the jittered ChEES (1/T)∫₀ᵀ sin²t dt peaks at tan 2T = 2T, T ≈ 2.25; the leapfrog's
    // rotation per step differs from ε, so only the scale is checked: within a factor of about 2.
    expect(adapted.trajectoryLength).toBeGreaterThan(1);
    expect(adapted.trajectoryLength).toBeLessThan(4.5);
    // A unit-scale target: a step size of order 1 (leapfrog is unstable above 2).
    expect(adapted.stepSize).toBeGreaterThan(0.3);
    expect(adapted.stepSize).toBeLessThan(1.6);
    for (const v of adapted.invMetric) expect(Math.abs(Math.sqrt(v) - 1)).toBeLessThan(0.1);
  });

  it("N(μ, diag(σ²)) with σ from 1e-2 to 1e2, 128 chains; the metric learns the scales", async () => {
    const d = 10;
    const sd = Array.from({ length: d }, (_, i) => 10 ** (-2 + (4 * i) / (d - 1)));
    const mu = sd.map((s, i) => (i % 2 === 0 ? -s : 2 * s));
    const g = gaussian(mu, sd);
    const { fit, adapted } = await run(batchOf(g), g, { chains: 128, warmup: 400, draws: 200, seed: 22 });
    expect(compareToReference(fit.summary(), exact(mu, sd))).toEqual([]);
    // The metric's sds within 10 % of the target's (each estimated from 128 chains × the last window).
    adapted.invMetric.forEach((v, i) => expect(Math.abs(Math.sqrt(v) / sd[i] - 1)).toBeLessThan(0.1));
    // In the metric's coordinates the target is N(0, I): the same scales as above.
    expect(adapted.trajectoryLength).toBeGreaterThan(1);
    expect(adapted.trajectoryLength).toBeLessThan(4.5);
    expect(adapted.stepSize).toBeGreaterThan(0.3);
    expect(adapted.stepSize).toBeLessThan(1.6);
  });
});

describe("lockstep chains on eight schools", () => {
  it("256 chains, automatically reparameterized, JS backend, agree with Stan's reference", async () => {
    const { model, data } = benchmarks.eight_schools;
    const fit = await sampleLockstep(model, data, { chains: 256, warmup: 300, draws: 100, seed: 31 });
    expect(compareToReference(fit.summary(), benchmarkReference("eight_schools"))).toEqual([]);
    expect(fit.settings.reparam).toBe(true);
    expect(fit.chains).toHaveLength(256);
    expect(fit.diagnostics().divergences.reduce((a, b) => a + b, 0)).toBe(0);
    // 256 short chains pool into one estimate: held to 400 in total, not 100 per chain (25,600), which NUTS chains would be.
    expect(fit.settings.sampler).toBe("lockstep");
    const essWarnings = (f: Fit) => f.diagnostics().warnings.filter((w) => /ESS below/.test(w));
    expect(essWarnings(fit)).toEqual([]);
    expect(essWarnings(new Fit(fit.valueLayout, { ...fit.settings, sampler: "nuts" }, fit.chains))).toEqual([expect.stringMatching(/ESS below 25600/)]);
  });
});

describe("lockstep reproducibility", () => {
  const { model, data } = benchmarks.eight_schools;
  const density = compile(model, data);
  const opts = { chains: 8, warmup: 120, draws: 30, seed: 41, saveWarmup: true } as const;
  const columns = (fit: Awaited<ReturnType<typeof sampleLockstepDensity>>) => fit.chains.map((c) => ({ values: c.values, stats: c.stats }));

  it("the same seed gives identical draws and statistics", async () => {
    const a = await sampleLockstepDensity(batchOf(density), density, opts);
    const b = await sampleLockstepDensity(batchOf(density), density, opts);
    expect(columns(b)).toEqual(columns(a));
    const c = await sampleLockstepDensity(batchOf(density), density, { ...opts, seed: 42 });
    expect(c.chains[0].values[0]).not.toEqual(a.chains[0].values[0]);
  });

  it("two batch densities that return the same numbers give the same transitions", async () => {
    // Another backend: evaluates the chains last to first, one event-loop turn per point.
    const inner = batchOf(density);
    const d = density.dim;
    const other: BatchDensity = {
      dim: d,
      async logpGradBatch(points, n, logp, grad) {
        const lp1 = new Float64Array(1);
        for (let c = n - 1; c >= 0; c--) {
          await new Promise((resolve) => setImmediate(resolve));
          await inner.logpGradBatch(points.subarray(c * d, (c + 1) * d), 1, lp1, grad.subarray(c * d, (c + 1) * d));
          logp[c] = lp1[0];
        }
      },
    };
    const a = await sampleLockstepDensity(batchOf(density), density, { ...opts, warmup: 10, draws: 0 });
    const b = await sampleLockstepDensity(other, density, { ...opts, warmup: 10, draws: 0 });
    expect(a.chains[0].warmup).toBe(10);
    expect(columns(b)).toEqual(columns(a));
  });

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

  it("thinning and saved warm-up give the expected columns; aborting rejects with the signal's reason", async () => {
    const fit = await sampleLockstepDensity(batchOf(density), density, { chains: 4, warmup: 25, draws: 10, thin: 3, saveWarmup: true, seed: 45 });
    expect(fit.chains.map((c) => [c.warmup, c.draws, c.values[0].length, c.stats.nLeapfrog.length])).toEqual(new Array(4).fill([9, 4, 13, 13]));
    expect(Array.from(fit.chains[0].stats.treeDepth)).toEqual(new Array(13).fill(0));
    const controller = new AbortController();
    const run = sampleLockstepDensity(batchOf(density), density, {
      chains: 4, warmup: 100, draws: 100, seed: 45, signal: controller.signal,
      onIteration: (it) => {
        if (it.iter === 5) controller.abort(new Error("enough"));
      },
    });
    await expect(run).rejects.toThrow("enough");
  });

  it("rejects bad options with errors naming them", async () => {
    const run = (opts: LockstepOptions) => sampleLockstepDensity(batchOf(density), density, { warmup: 5, draws: 5, seed: 1, ...opts });
    await expect(run({ chains: 1 })).rejects.toThrow(/at least 2 chains/);
    await expect(run({ chains: 4, thin: 0 })).rejects.toThrow(/thin must be an integer ≥ 1, got 0/);
    await expect(run({ chains: 4, targetAccept: 1 })).rejects.toThrow(/targetAccept must lie in \(0, 1\), got 1/);
  });

  it("lockstep chain k starts where NUTS chain k starts", async () => {
    const s = await LockstepSampler.create(batchOf(density), { chains: 4, seed: 44, warmup: 10, draws: 0, targetAccept: 0.651, maxLeapfrog: 1000 });
    const theta = s.checkpoint().theta;
    const d = density.dim;
    for (let k = 1; k <= 4; k++) {
      const nuts = new Chain(density, { chain: k, seed: 44, warmup: 10, draws: 0, maxDepth: 10, targetAccept: 0.8, metric: "diag" });
      expect(theta.slice((k - 1) * d, k * d)).toEqual(nuts.checkpoint().theta);
    }
  });
});
