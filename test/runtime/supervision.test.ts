/**
 * Supervision: a chain whose worker thread dies is restarted from its last
 * checkpoint and the run delivers exactly the uninterrupted run's messages;
 * a chain that keeps dying fails the run naming it; a slow consumer pauses
 * the workers instead of queueing without bound; a stop checkpoints.
 */
import { describe, expect, it } from "vitest";
import model, { data } from "../../examples/eight_schools.ts";
import type { ChainCheckpoint } from "../../src/inference/chain.ts";
import { sampleStream } from "../../src/fit/sampleStream.ts";
import type { SupervisorStats } from "../../src/runtime/supervisor.ts";
import type { Fault } from "../../src/runtime/workers/protocol.ts";
import { byChain, collect, expectWellFormed } from "./runs.ts";
import { STOPPED_MESSAGE } from "../../src/runtime/run.ts";

const opts = { chains: 4, warmup: 200, draws: 200, seed: 7, checkpointEvery: 25 };
const newStats = (): SupervisorStats => ({ maxQueued: 0, restarts: 0, duplicatesDropped: 0, resumedFrom: [] });

describe("supervision", () => {
  it("restarts chains whose worker died (terminated, exited, threw, θ-derived) with the uninterrupted run's draws, each once", async () => {
    const faults: Fault[] = [
      { chain: 1, iter: 130, how: "terminate" }, // killed from outside, mid-warm-up
      { chain: 2, iter: 290, how: "exit" }, // the thread exits, losing its unposted draws
      { chain: 3, iter: 60, how: "throw" }, // an uncaught exception in the thread
      { chain: 3, iter: 340, how: "terminate", attempt: 1 }, // the restarted chain dies again
      { chain: 4, hashModulo: 97, how: "exit" }, // at the first draw whose values hash to 0 mod 97
    ];
    const stats = newStats();
    const faulty = await collect(sampleStream(model, data, { ...opts, workers: 2, faults, stats }));
    const clean = await collect(sampleStream(model, data, { ...opts, workers: 0 }));
    expect(faulty.find((m) => m.type === "error")).toBeUndefined();
    expectWellFormed(faulty, 4, opts.warmup, opts.draws);
    expect(byChain(faulty)).toEqual(byChain(clean));
    // Every fault fired and its chain was restarted, from its last checkpoint before the fault.
    expect(stats.restarts).toBe(faults.length);
    const from = (chain: number) => stats.resumedFrom.filter((r) => r.chain === chain).map((r) => r.iter);
    expect(from(1)[0]).toBeGreaterThanOrEqual(125);
    expect(from(2)).toEqual([275]);
    expect(from(3)[0]).toBe(50);
    expect(from(3)[1]).toBeGreaterThanOrEqual(325);
  });

  it("fails the run, naming the chain, when a chain's worker keeps dying", async () => {
    const msgs = await collect(
      sampleStream(model, data, { ...opts, workers: 2, maxRetries: 2, faults: [{ chain: 3, iter: 40, how: "exit", attempt: "every" }] }),
    );
    const last = msgs.at(-1)!;
    expect(last).toMatchObject({ type: "error", chain: 3 });
    expect(last.type === "error" && last.message).toMatch(
      /chain 3: its worker died 3 times, the last time because the thread exited with code 1/,
    );
    expect(msgs.some((m) => m.type === "done")).toBe(false);
  });

  it("reports an error of the chain itself once, without retrying it", async () => {
    const stats = newStats();
    // A deterministic failure: an initial value outside the support.
    const msgs = await collect(
      sampleStream(model, data, { ...opts, workers: 2, reparam: false, init: { mu: 0, tau: -1, theta: [0, 0, 0, 0, 0, 0, 0, 0] }, stats }),
    );
    expect(msgs.at(-1)!.type).toBe("error");
    expect(stats.restarts).toBe(0);
  });

  it("pauses workers for a slow consumer: the queue stays under twice the high-water mark per worker", async () => {
    const stats = newStats();
    const highWaterMark = 16;
    let n = 0;
    for await (const m of sampleStream(model, data, { ...opts, chains: 2, warmup: 150, draws: 150, workers: 2, highWaterMark, stats })) {
      if (m.type === "draw") n++;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(n).toBe(600);
    // Without back-pressure the workers (much faster than 1 ms a draw) would queue most of the 600 draws.
    expect(stats.maxQueued).toBeGreaterThan(0);
    expect(stats.maxQueued).toBeLessThanOrEqual(2 * 2 * highWaterMark + 4);
  });

  for (const workers of [0, 2]) {
    it(`stops on abort with a checkpoint of each running chain, and resumes to the same draws (workers: ${workers})`, async () => {
      const stop = new AbortController();
      const checkpoints = new Map<number, ChainCheckpoint>();
      const first: Awaited<ReturnType<typeof collect>> = [];
      // A low high-water mark keeps the workers close behind the consumer, so the stop lands mid-run.
      const run = { ...opts, chains: 2, workers, highWaterMark: 8 };
      for await (const m of sampleStream(model, data, { ...run, signal: stop.signal, onCheckpoint: (k, c) => checkpoints.set(k, c) })) {
        first.push(m);
        if (m.type === "draw" && m.chain === 1 && m.iter === 170) stop.abort();
      }
      expect(first.at(-1)).toMatchObject({ type: "error", message: STOPPED_MESSAGE });
      const start = first[0];
      if (start.type !== "start") throw new Error("no start");
      // Chain 1 stopped mid-run (in-process: within the batch of at most 256 items after draw 170, off the checkpoint
      // grid); its last checkpoint covers every draw it delivered.
      const at = checkpoints.get(1)!.iter;
      if (workers === 0) expect(at).toBeGreaterThanOrEqual(170);
      if (workers === 0) expect(at).toBeLessThan(170 + 256);
      expect(at).toBeLessThan(opts.warmup + opts.draws);
      const delivered1 = first.filter((m) => m.type === "draw" && m.chain === 1).length;
      expect(delivered1).toBe(at);
      const rest = await collect(
        sampleStream(model, data, {
          ...run,
          centering: start.centering,
          resume: { run: start.run, modelHash: start.modelHash, dataHash: start.dataHash, chains: checkpoints },
        }),
      );
      // Stopped run up to each chain's checkpoint, then the resumed run: the uninterrupted run's draws.
      const clean = await collect(sampleStream(model, data, { ...opts, chains: 2, workers: 0 }));
      for (const k of [1, 2]) {
        const upTo = checkpoints.get(k)?.iter ?? 0;
        const joined = [
          ...first.filter((m) => m.type === "draw" && m.chain === k && m.iter <= upTo),
          ...rest.filter((m) => m.type === "draw" && m.chain === k),
        ];
        expect(byChain(joined).get(k)).toEqual(byChain(clean.filter((m) => m.type === "draw")).get(k));
      }
    });
  }
});
