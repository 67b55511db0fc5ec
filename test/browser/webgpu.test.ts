/**
 * The WebGPU backend in a real browser: Debian's chromium on its software
 * adapter (SwiftShader), the shaders compiled and run by chromium's WebGPU.
 *
 * - Every op case of the JavaScript backend's per-op test
 *   (test/helpers/opCases.ts): log p and gradient at 8 points in one batch
 *   against the reference interpreter, within OP_RTOL relative to
 *   max(|log p|, ‖∇‖∞, 1). float32 rounding of a handful of operations
 *   gives a few ε₃₂ = 6e-8; measured worst 2.8e-6 (logInvLogit at 20x,
 *   where log p is a difference of nearly equal numbers); 1e-5 leaves
 *   room for another adapter's exp and log (WGSL allows 3 ulp + 2 ulp·|x|).
 * - The float32 check of compile refuses the models float32 cannot
 *   evaluate and accepts the others (see src/codegen/webgpu/float32.ts).
 * - Lockstep chains on WebGPU: 256 chains of eight schools recover Stan's
 *   reference posterior, and their first transitions agree with the same
 *   sampler on the JavaScript backend to float32 precision.
 * - SMC on WebGPU (one dispatch per leapfrog step of the particle cloud)
 *   gives the log evidence of SMC on the JavaScript backend within their
 *   Monte-Carlo errors.
 * Every example's log p and gradient: webgpu.slow.test.ts.
 */
import { describe, expect, it } from "vitest";
import { randomPoints } from "../helpers/agree.ts";
import { opCases } from "../helpers/opCases.ts";
import { benchmarkReference, compareToReference } from "../helpers/reference.ts";
import type { Float32Report } from "../../src/codegen/webgpu/float32.ts";
import { batchError, pageBatch, pageFloat32, pageLockstep, pageSmc, useWebGpuPage } from "../helpers/webgpuPage.ts";
import { tLimit } from "../inference/smc/runStats.ts";

const OP_RTOL = 1e-5;

const shared = useWebGpuPage();

describe("every op on WebGPU agrees with the reference interpreter (float32)", () => {
  for (const [name, dim] of opCases) {
    it(name, async () => {
      const r = await pageBatch(shared.page, `op:${name}`, randomPoints(dim, 8, 23));
      expect(r.adapter).toBe("google/swiftshader");
      expect(r.ref.logp.every(Number.isFinite)).toBe(true);
      expect(batchError(r)).toBeLessThanOrEqual(OP_RTOL);
    });
  }
});

describe("sums over data are compensated", () => {
  it("log p of 200,000 normal observations keeps float32's relative precision", async () => {
    // Uncompensated, a float32 sum of n terms can be off by n·ε₃₂ relative (1.2e-2 here), typically √n·ε₃₂ (2.7e-5);
    // compensated (Neumaier), by a few ε₃₂ whatever n: measured 1.3e-7.
    const r = await pageBatch(shared.page, "sum:200k", randomPoints(2, 8, 5, 1));
    const worst = batchError(r);
    console.log("sum:200k", worst);
    expect(worst).toBeLessThanOrEqual(1e-6);
  });
});

describe("compile refuses a model float32 cannot evaluate", () => {
  it("accepts eight schools and logistic regression, measuring errors near float32's rounding", async () => {
    for (const name of ["eight_schools", "logistic"]) {
      const report = await pageFloat32(shared.page, name);
      expect(report).toMatchObject({ ok: true, points: 32 });
      expect((report as Float32Report).error).toBeLessThan(1e-5);
    }
  });

  it("refuses the Gaussian process whose kernel is singular in float32, and the long HMM, naming the error", async () => {
    for (const name of ["gp_pois_regr-gp_pois_regr", "bball_drive_event_0-hmm_drive_0"]) {
      const r = await pageFloat32(shared.page, name);
      expect("error" in r ? r.error : "accepted").toMatch(
        /^Float32Error: float32 is not accurate enough for this model on WebGPU: relative error \S+ in /,
      );
    }
  });
});

describe("lockstep chains on WebGPU", () => {
  it("256 chains of eight schools, reparameterized, agree with Stan's reference", { timeout: 300_000 }, async () => {
    const r = await pageLockstep(shared.page, "webgpu", { chains: 256, warmup: 300, draws: 100, seed: 31 });
    expect(r.provider).toBe("google/swiftshader");
    expect(compareToReference(r.summary, benchmarkReference("eight_schools"))).toEqual([]);
    expect(r.divergences).toBe(0);
  });

  it("makes the same first transitions as on the JavaScript backend, to float32 precision", { timeout: 120_000 }, async () => {
    const settings = { chains: 16, warmup: 10, draws: 0, seed: 7, saveWarmup: true };
    const [js, gpu] = [await pageLockstep(shared.page, "js", settings), await pageLockstep(shared.page, "webgpu", settings)];
    // Worst relative difference per transition, over chains and values.
    const byT = new Array<number>(10).fill(0);
    js.values.forEach((chain, c) =>
      chain.forEach((column, k) =>
        column.forEach((x, t) => (byT[t] = Math.max(byT[t], Math.abs(x - gpu.values[c][k][t]) / Math.max(1, Math.abs(x))))),
      ),
    );
    // Float32 log p and gradients: the first three transitions agree to a few ε₃₂ (measured 1.7e-7, 1.7e-7, 4.9e-7);
    // later ones drift apart as HMC amplifies any difference (measured 5.5e-4 by the 10th), as between JS and ONNX.
    expect(Math.max(...byT.slice(0, 3))).toBeLessThanOrEqual(2e-6);
    expect(byT[0]).toBeGreaterThan(0); // float32, not float64: they cannot agree exactly.
    for (const chain of js.values) expect(new Set(chain[0]).size).toBeGreaterThan(1);
  });
});

describe("other engines on WebGPU", () => {
  it("SMC of eight schools gives the JavaScript backend's log evidence within Monte-Carlo error", { timeout: 300_000 }, async () => {
    const [js, gpu] = [await pageSmc(shared.page, "js", 5), await pageSmc(shared.page, "webgpu", 6)];
    // 4 independent runs each: the difference over its standard error is t-distributed (3 degrees of freedom); α = 1e-3.
    expect(gpu.se).toBeGreaterThan(0);
    expect(Math.abs(gpu.logEvidence - js.logEvidence)).toBeLessThan(tLimit(4, 1, 1e-3) * Math.hypot(js.se, gpu.se));
  });
});
