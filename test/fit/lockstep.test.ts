/**
 * Lockstep runs (src/fit/lockstep.ts, src/fit/lockstepDensity.ts): exact
 * Gaussian targets, eight schools against Stan's reference, and
 * reproducibility: same seed, same draws; two batch densities that return
 * the same numbers give the same draws; thinning, saved warm-up, aborting
 * and bad options. The sampler's pieces are tested in
 * test/inference/lockstep/lockstep.test.ts.
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
import { Fit } from "../../src/fit/fit.ts";
import { sampleLockstep } from "../../src/fit/lockstep.ts";
import { type LockstepOptions, type LockstepTarget, sampleLockstepDensity } from "../../src/fit/lockstepDensity.ts";
import type { LockstepAdaptation } from "../../src/inference/lockstep/warmup.ts";
import { gaussian } from "../helpers/gaussian.ts";
import { benchmarkReference, compareToReference, type RefParam } from "../helpers/reference.ts";

const exact = (mu: readonly number[], sd: readonly number[]): Record<string, RefParam> =>
  Object.fromEntries(mu.map((m, i) => [`x[${i + 1}]`, { mean: m, sd: sd[i], mcse_mean: 0, mcse_sd: 0 }]));

/** Runs and keeps the adaptation it ended warm-up with. */
async function run(density: BatchDensity, target: LockstepTarget, opts: LockstepOptions) {
  let adapted: LockstepAdaptation | undefined;
  const fit = await sampleLockstepDensity(density, target, { ...opts, onAdapted: (a) => (adapted = a) });
  return { fit, adapted: adapted! };
}

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
    expect(essWarnings(new Fit(fit.valueLayout, { ...fit.settings, sampler: "nuts" }, fit.chains))).toEqual([
      expect.stringMatching(/ESS below 25600/),
    ]);
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

  it("thinning and saved warm-up give the expected columns; aborting rejects with the signal's reason", async () => {
    const fit = await sampleLockstepDensity(batchOf(density), density, {
      chains: 4,
      warmup: 25,
      draws: 10,
      thin: 3,
      saveWarmup: true,
      seed: 45,
    });
    expect(fit.chains.map((c) => [c.warmup, c.draws, c.values[0].length, c.stats.nLeapfrog.length])).toEqual(
      new Array(4).fill([9, 4, 13, 13]),
    );
    expect(Array.from(fit.chains[0].stats.treeDepth)).toEqual(new Array(13).fill(0));
    const controller = new AbortController();
    const run = sampleLockstepDensity(batchOf(density), density, {
      chains: 4,
      warmup: 100,
      draws: 100,
      seed: 45,
      signal: controller.signal,
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
});
