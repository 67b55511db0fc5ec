/**
 * Chains on worker threads give the draws of the sequential in-process run,
 * bit for bit, in a well-formed stream.
 */
import { describe, expect, it } from "vitest";
import model, { data } from "../../../examples/eight_schools.ts";
import { sampleStream } from "../../../src/fit/sampleStream.ts";
import { byChain, collect, expectWellFormed } from "../runs.ts";

const opts = { chains: 4, warmup: 150, draws: 150, seed: 11 };

describe("parallel chains", () => {
  it("4 chains on 2 worker threads equal 4 chains in-process, bit for bit", async () => {
    const threaded = await collect(sampleStream(model, data, { ...opts, workers: 2 }));
    const inProcess = await collect(sampleStream(model, data, { ...opts, workers: 0 }));
    expectWellFormed(threaded, 4, opts.warmup, opts.draws);
    expectWellFormed(inProcess, 4, opts.warmup, opts.draws);
    // The same start (centering chosen alike), and per chain the same messages in the same order.
    const { run: _a, ...startT } = threaded[0] as Extract<(typeof threaded)[0], { type: "start" }>;
    const { run: _b, ...startI } = inProcess[0] as Extract<(typeof inProcess)[0], { type: "start" }>;
    expect(startT).toEqual(startI);
    expect(byChain(threaded)).toEqual(byChain(inProcess));
    // Object.is on every value: toEqual would let -0 pass for 0.
    const bits = (msgs: typeof threaded) =>
      msgs
        .flatMap((m) => (m.type === "draw" ? [m] : []))
        .sort((a, b) => a.chain - b.chain || a.iter - b.iter)
        .flatMap((m) => [...m.values, m.stats.lp, m.stats.energy]);
    const [t, i] = [bits(threaded), bits(inProcess)];
    expect(t.every((x, k) => Object.is(x, i[k]))).toBe(true);
  });

  it("interleaves chains as they run, each chain in iteration order", async () => {
    // Chains long enough (≈ 0.3 s each) that a thread starting late on a loaded machine still starts while the other runs.
    const msgs = await collect(sampleStream(model, data, { ...opts, chains: 2, workers: 2, warmup: 2000, draws: 2000 }));
    expectWellFormed(msgs, 2, 2000, 2000);
    const order = msgs.filter((m) => m.type === "draw").map((m) => (m.type === "draw" ? m.chain : 0));
    // Both chains ran at once: chain 2 delivered draws before chain 1 finished.
    const lastOf1 = order.lastIndexOf(1);
    expect(order.indexOf(2)).toBeLessThan(lastOf1);
  });

  it("thins and keeps warm-up alike on threads and in-process", async () => {
    const o = { ...opts, chains: 2, thin: 3, saveWarmup: true };
    const threaded = await collect(sampleStream(model, data, { ...o, workers: 2 }));
    const inProcess = await collect(sampleStream(model, data, { ...o, workers: 0 }));
    expect(byChain(threaded)).toEqual(byChain(inProcess));
    expect(threaded.filter((m) => m.type === "draw" && m.chain === 1)).toHaveLength(100);
  });
});
