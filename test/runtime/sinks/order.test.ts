import { describe, expect, test } from "vitest";
import type { DrawMessage, SampleMessage, StartMessage } from "../../../src/runtime/messages.ts";
import { asyncIterableSink, callbackSink, pipe } from "../../../src/runtime/sinks/index.ts";
import { benchmarks } from "../../../examples/index.ts";
import { sampleStream } from "../../../src/fit/sampleStream.ts";
import { collect, realRun } from "./fixtures.ts";

const CHAINS = 3;
const WARMUP = 30;
const DRAWS = 20;

/** Checks the protocol's ordering promises on a run's messages; returns the draws. */
function checkRun(messages: readonly SampleMessage[]): DrawMessage[] {
  expect(messages[0].type).toBe("start");
  const start = messages[0] as StartMessage;
  expect(start.settings).toMatchObject({ chains: CHAINS, warmup: WARMUP, draws: DRAWS });
  expect(messages.at(-1)!.type).toBe("done");
  expect(messages.filter((m) => m.type === "start" || m.type === "done")).toHaveLength(2);
  expect(messages.filter((m) => m.type === "error")).toEqual([]);
  for (const m of messages) expect(m.run).toBe(start.run);

  const draws = messages.filter((m): m is DrawMessage => m.type === "draw");
  // Every (chain, iter) exactly once: chains 1…CHAINS, iterations 1…WARMUP + DRAWS.
  const seen = new Set(draws.map((d) => `${d.chain}:${d.iter}`));
  expect(seen.size).toBe(draws.length);
  expect(draws).toHaveLength(CHAINS * (WARMUP + DRAWS));
  for (let k = 1; k <= CHAINS; k++) for (let i = 1; i <= WARMUP + DRAWS; i++) expect(seen.has(`${k}:${i}`)).toBe(true);
  // Warm-up flagged, values laid out as announced.
  const size = start.valueLayout.reduce((n, e) => n + e.size, 0);
  for (const d of draws) {
    expect(d.warmup).toBe(d.iter <= WARMUP);
    expect(d.values).toHaveLength(size);
  }
  // Per chain: iterations in order, `adapted` right after the last warm-up draw, `chainDone` after the last draw.
  for (let k = 1; k <= CHAINS; k++) {
    const own = messages.filter((m) => m.type !== "start" && m.type !== "done" && (m as { chain?: number }).chain === k);
    const iters = own.filter((m): m is DrawMessage => m.type === "draw").map((d) => d.iter);
    expect(iters).toEqual(Array.from({ length: WARMUP + DRAWS }, (_, i) => i + 1));
    const adapted = own.findIndex((m) => m.type === "adapted");
    expect((own[adapted - 1] as DrawMessage).iter).toBe(WARMUP);
    expect(own.at(-1)!.type).toBe("chainDone");
    expect(own.filter((m) => m.type === "adapted" || m.type === "chainDone")).toHaveLength(2);
  }
  return draws;
}

describe.each([
  ["in this thread", 0],
  ["on worker threads", 2],
])("a real run of eight schools %s", (_, workers) => {
  const opts = { chains: CHAINS, warmup: WARMUP, draws: DRAWS, seed: 7, workers };

  test("streams every (chain, iter) exactly once, warm-up flagged, done last", async () => {
    checkRun(await realRun(opts));
  });

  test("piped live to two sinks, each gets every message in the same order", async () => {
    const { model, data } = benchmarks.eight_schools;
    const viaCallback: SampleMessage[] = [];
    const queue = asyncIterableSink({ highWaterMark: 8 });
    const [result, viaQueue] = await Promise.all([
      pipe(sampleStream(model, data, opts), [callbackSink((m) => void viaCallback.push(m)), queue]),
      collect(queue),
    ]);
    checkRun(viaCallback);
    expect(viaQueue).toStrictEqual(viaCallback);
    expect(result).toEqual({ messages: viaCallback.length, sinkErrors: [], aborted: false });
    expect(queue.maxLength).toBeLessThanOrEqual(8);
  });
});
