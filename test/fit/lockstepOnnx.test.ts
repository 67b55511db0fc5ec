/**
 * Lockstep chains on the ONNX backend (onnxruntime's CPU provider): 256
 * chains of the benchmark eight schools, automatically reparameterized,
 * recover Stan's reference posterior; and the same sampler on the
 * JavaScript backend makes the same first 10 transitions to 1e-8 (the
 * backends' exp and log differ by an ulp, so longer runs drift apart and
 * agree only in distribution).
 */
import { describe, expect, it } from "vitest";
import { benchmarks } from "../../examples/index.ts";
import { sampleLockstep } from "../../src/fit/lockstep.ts";
import { benchmarkReference, compareToReference } from "../helpers/reference.ts";

const { model, data } = benchmarks.eight_schools;

describe("lockstep chains on ONNX", () => {
  it(
    "256 chains of eight schools, reparameterized, on the ONNX CPU backend agree with Stan's reference",
    { timeout: 120_000 },
    async () => {
      let provider = "";
      const fit = await sampleLockstep(model, data, {
        backend: "onnx",
        chains: 256,
        warmup: 300,
        draws: 100,
        seed: 31,
        onBackend: (b) => (provider = b.provider),
      });
      expect(provider).toBe("cpu");
      expect(fit.settings.reparam).toBe(true);
      expect(compareToReference(fit.summary(), benchmarkReference("eight_schools"))).toEqual([]);
      expect(fit.diagnostics().divergences.reduce((a, b) => a + b, 0)).toBe(0);
    },
  );

  it("makes the same first 10 transitions as on the JavaScript backend, to 1e-8", { timeout: 60_000 }, async () => {
    const opts = { chains: 16, warmup: 10, draws: 0, seed: 7, saveWarmup: true } as const;
    const [js, onnx] = [await sampleLockstep(model, data, opts), await sampleLockstep(model, data, { ...opts, backend: "onnx" })];
    let worst = 0;
    js.chains.forEach((chain, c) => {
      expect([chain.warmup, chain.draws, chain.values[0].length]).toEqual([10, 0, 10]);
      // values: one column per element of the layout, one entry per transition.
      chain.values.forEach((column, k) =>
        column.forEach((x, t) => (worst = Math.max(worst, Math.abs(x - onnx.chains[c].values[k][t]) / Math.max(1, Math.abs(x))))),
      );
    });
    expect(worst).toBeLessThanOrEqual(1e-8);
    // Not trivially equal because nothing moved: every chain moved.
    for (const chain of js.chains) expect(new Set(chain.values[0]).size).toBeGreaterThan(1);
  });
});
