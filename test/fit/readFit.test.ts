/**
 * Fits read back from Stan CSV files: rstan's own output, and sampo's run
 * directory, which must give back exactly the draws that were sampled.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { benchmarks } from "../../examples/index.ts";
import { DrawCollector } from "../../src/runtime/collect.ts";
import { readFit } from "../../src/fit/readFit.ts";
import { RunDirectory } from "../../src/runtime/runDirectory.ts";
import { sampleStream } from "../../src/fit/sampleStream.ts";

describe("readFit", () => {
  it("reads rstan's eight schools into a Fit", async () => {
    const fit = await readFit([new URL("../fixtures/stan-csv/eight_schools_rstan.csv", import.meta.url).pathname]);
    expect(fit.valueLayout.map((e) => [e.name, e.shape])).toEqual([
      ["mu", []],
      ["tau", []],
      ["theta", [8]],
    ]);
    expect(fit.chains[0].draws).toBe(200);
    expect(fit.settings.warmup).toBe(200);
    expect(fit.settings.seed).toBe(7);
    expect(fit.summary().map((r) => r.name)).toEqual(["mu", "tau", ...Array.from({ length: 8 }, (_, i) => `theta[${i + 1}]`)]);
    expect((fit.draws as { tau: number[] }).tau).toHaveLength(200);
    expect(() => fit.predictive()).toThrow(/needs the model/);
  });

  it("reads sampo's run directory back to the draws that were streamed", async () => {
    const { model, data } = benchmarks.eight_schools;
    const dir = mkdtempSync(join(tmpdir(), "sampo-run-"));
    const sink = new RunDirectory(dir, "eight_schools.ts");
    const collector = new DrawCollector();
    for await (const msg of sampleStream(model, data, { chains: 2, warmup: 150, draws: 100, seed: 3, saveWarmup: true })) {
      sink.add(msg);
      collector.add(msg);
    }
    const { chains } = collector.result();
    const fit = await readFit(dir, model, data);
    expect(fit.chains.map((c) => [c.warmup, c.draws])).toEqual([
      [150, 100],
      [150, 100],
    ]);
    for (const [k, c] of chains.entries()) {
      expect(fit.chains[k].values).toEqual(c.values);
      expect(fit.chains[k].stats).toEqual(c.stats);
      expect(fit.chains[k].adaptation).toEqual(c.adaptation);
    }
    expect(Object.keys(fit.predictive())).toEqual(["y"]);
  });
});
