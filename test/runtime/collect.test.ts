/** A run's messages collected into chains (runtime/collect.ts). */
import { describe, expect, it } from "vitest";
import model, { data } from "../../examples/eight_schools.ts";
import { sampleStream } from "../../src/fit/sampleStream.ts";
import { DrawCollector } from "../../src/runtime/collect.ts";

describe("DrawCollector", () => {
  it("gives a chain that kept no draws (draws: 0) every value column, empty, with its adaptation", async () => {
    const collector = new DrawCollector();
    for await (const msg of sampleStream(model, data, { chains: 2, warmup: 30, draws: 0, seed: 1, workers: 0 })) collector.add(msg);
    const { chains } = collector.result();
    expect(chains.map((c) => [c.chain, c.warmup, c.draws, c.values.length, c.stats.lp.length])).toEqual([
      [1, 0, 0, 10, 0],
      [2, 0, 0, 10, 0],
    ]);
    expect(chains.every((c) => c.values.every((v) => v.length === 0) && c.adaptation !== undefined)).toBe(true);
  });

  it("keeps every kept draw of each chain, warm-up first when saved", async () => {
    const collector = new DrawCollector();
    const seen = new Map<number, number[]>();
    for await (const msg of sampleStream(model, data, {
      chains: 2,
      warmup: 30,
      draws: 50,
      thin: 3,
      saveWarmup: true,
      seed: 1,
      workers: 0,
    })) {
      collector.add(msg);
      if (msg.type === "draw") seen.set(msg.chain, [...(seen.get(msg.chain) ?? []), msg.values[0]]);
    }
    const { chains } = collector.result();
    expect(chains.map((c) => [c.warmup, c.draws])).toEqual([
      [10, 17],
      [10, 17],
    ]);
    for (const c of chains) expect([...c.values[0]]).toEqual(seen.get(c.chain));
  });
});
