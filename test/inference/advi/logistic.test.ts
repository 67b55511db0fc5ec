/**
 * Mean-field ADVI on a real model, the `logistic` benchmark (d = 21, a
 * near-Gaussian posterior), against its rstan reference
 * (test/fixtures/reference/logistic.json), on the constrained scale.
 */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { benchmarks } from "../../../examples/index.ts";
import { batchOf } from "../../../src/codegen/batch.ts";
import { compile } from "../../../src/codegen/compile.ts";
import { advi } from "../../../src/inference/advi/advi.ts";

const ref: Record<string, { mean: number; sd: number; mcse_mean: number }> = JSON.parse(
  readFileSync(new URL("../../fixtures/reference/logistic.json", import.meta.url), "utf8"),
).parameters;

it("logistic: means within 4.5 predicted errors (≈ 0.3 reference sd); mean-field sds at most the reference's", async () => {
  const ex = benchmarks.logistic;
  const density = compile(ex.model, ex.data);
  const n = 10;
  const iterations = 2000;
  const r = await advi(batchOf(density), {
    seed: 2,
    eta: 1,
    gradSamples: n,
    maxIterations: iterations,
    tolRelObj: 1e-9,
    init: new Float64Array(density.dim),
  });
  if (r.approximation.kind !== "meanfield") throw new Error("meanfield expected");
  const { omega } = r.approximation;
  const draws = r.draws;
  const means = new Float64Array(density.valueSize);
  for (let k = 0; k < draws.n; k++) {
    const v = density.constrain(draws.points.subarray(k * draws.dim, (k + 1) * draws.dim));
    for (let i = 0; i < means.length; i++) means[i] += v[i] / draws.n;
  }
  const gamma = 1 / Math.sqrt(iterations);
  const names = Object.keys(ref);
  expect(names.length).toBe(density.dim);
  for (const [i, name] of names.entries()) {
    const s = Math.exp(omega[i]);
    // The error of a draw mean: the final iterate's stationary noise (per coordinate, as for an independent
    // Gaussian of sd s: γ/(2n) · 1/(1 + 1/(s√n)); test/inference/advi/advi.test.ts), the mean of 1000 draws
    // (s/√1000) and the reference's MCSE. Over seeds 1–6 these z-scores had rms 1.09, max 2.85.
    const se = Math.hypot(Math.sqrt(gamma / (1 + 1 / (s * Math.sqrt(n))) / (2 * n)), s / Math.sqrt(draws.n), ref[name].mcse_mean);
    expect(Math.abs(means[i] - ref[name].mean), name).toBeLessThan(4.5 * se);
    // The known failure, shown: mean-field's sd is 1/√Λ_ii ≤ √Σ_ii, up to omega's noise (sd √(γ/(2n) / (1 + √(2/n)))
    // ≈ 0.028; 4 of them ≈ 12 %).
    expect(s / ref[name].sd, name).toBeLessThan(1.12);
  }
  // … and well below it where the predictors correlate: the smallest ratio was 0.66–0.70 over seeds 1–6.
  expect(Math.min(...names.map((nm, i) => Math.exp(omega[i]) / ref[nm].sd))).toBeLessThan(0.8);
});
