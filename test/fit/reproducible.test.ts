/**
 * Same seed, same draws, bit for bit; chain k's draws do not depend on how
 * many chains run (each chain owns Philox stream k of the seed).
 */
import { describe, expect, it } from "vitest";
import { benchmarks } from "../../examples/index.ts";
import { sample } from "../../src/fit/sample.ts";

const { model, data } = benchmarks.eight_schools;
const opts = { draws: 200, warmup: 200, seed: 42 } as const;

describe("reproducibility", () => {
  it("the same seed gives identical draws and statistics", async () => {
    const a = await sample(model, data, { ...opts, chains: 2 });
    const b = await sample(model, data, { ...opts, chains: 2 });
    expect(b.chains).toEqual(a.chains.map((c) => ({ ...c, elapsed: b.chains[c.chain - 1].elapsed })));
  });

  it("chain k is the same whether 2 or 4 chains run", async () => {
    const two = await sample(model, data, { ...opts, chains: 2 });
    const four = await sample(model, data, { ...opts, chains: 4 });
    for (const k of [0, 1]) {
      expect(four.chains[k].values).toEqual(two.chains[k].values);
      expect(four.chains[k].stats).toEqual(two.chains[k].stats);
    }
  });

  it("a different seed gives different draws", async () => {
    const a = await sample(model, data, { ...opts, chains: 1 });
    const b = await sample(model, data, { ...opts, chains: 1, seed: 43 });
    expect(b.chains[0].values[0]).not.toEqual(a.chains[0].values[0]);
  });
});
