import { setImmediate as tick } from "node:timers/promises";
import { expect, test } from "vitest";
import { benchmarks } from "../../../examples/index.ts";
import type { DrawMessage, SampleMessage } from "../../../src/runtime/messages.ts";
import { asyncIterableSink, callbackSink, pipe } from "../../../src/runtime/sinks/index.ts";
import { sampleStream } from "../../../src/fit/sampleStream.ts";
import { replay } from "./fixtures.ts";

/** n draw messages, chain 1, iterations 1…n. */
function draws(n: number): SampleMessage[] {
  const stats = { lp: 0, acceptStat: 1, stepSize: 1, treeDepth: 1, nLeapfrog: 1, divergent: false, energy: 0, recovered: 0 };
  return Array.from({ length: n }, (_, i): DrawMessage => ({
    type: "draw",
    run: "r",
    chain: 1,
    iter: i + 1,
    warmup: false,
    values: [i],
    stats,
  }));
}

/**
 * Pipes `source` into an async-iterable sink of the given high-water mark and
 * reads it slowly (a macrotask per message); returns what was read, the
 * queue's largest length, and how far the producer ever ran ahead.
 */
async function slowRead(source: AsyncIterable<SampleMessage>, highWaterMark: number) {
  const queue = asyncIterableSink({ highWaterMark });
  let produced = 0;
  let consumed = 0;
  let ahead = 0;
  const run = pipe(source, [callbackSink(() => void produced++), queue]);
  const read: SampleMessage[] = [];
  for await (const msg of queue) {
    consumed++;
    ahead = Math.max(ahead, produced - consumed);
    read.push(msg);
    await tick(); // a consumer slower than the producer
  }
  await run;
  return { read, maxLength: queue.maxLength, ahead };
}

test("a slow consumer of a real run keeps the queue at or below its high-water mark", async () => {
  const { model, data } = benchmarks.eight_schools;
  const { read, maxLength, ahead } = await slowRead(
    sampleStream(model, data, { chains: 2, warmup: 50, draws: 50, seed: 3, workers: 0 }),
    4,
  );
  expect(read.filter((m) => m.type === "draw")).toHaveLength(200);
  expect(read.at(-1)!.type).toBe("done");
  expect(maxLength).toBe(4); // reached: the producer is faster and was held back…
  expect(ahead).toBeLessThanOrEqual(4); // …never more than the queue ahead of the consumer
});

test("10 000 messages through a queue of 16: bounded, complete, in order", async () => {
  const messages = draws(10_000);
  const { read, maxLength } = await slowRead(replay(messages), 16);
  expect(maxLength).toBe(16);
  expect(read).toStrictEqual(messages);
});

test("the same slow consumer without a real bound lets the queue grow (the measure can fail)", async () => {
  const { maxLength } = await slowRead(replay(draws(2_000)), 1_000_000);
  expect(maxLength).toBeGreaterThan(1_000);
});

test("write waits for room: the promise resolves only once the consumer has taken a message", async () => {
  const queue = asyncIterableSink({ highWaterMark: 2 });
  const [a, b, c] = draws(3);
  expect(queue.write(a)).toBeUndefined();
  expect(queue.write(b)).toBeUndefined();
  let resolved = false;
  const blocked = (queue.write(c) as Promise<void>).then(() => (resolved = true));
  await tick();
  expect(resolved).toBe(false);
  expect(queue.length).toBe(2);
  const it = queue[Symbol.asyncIterator]();
  expect((await it.next()).value).toBe(a);
  await blocked;
  expect(queue.length).toBe(2);
  expect((await it.next()).value).toBe(b);
  expect((await it.next()).value).toBe(c);
});

test("a producer that does not await keeps its order, and the queue stays bounded", async () => {
  const queue = asyncIterableSink({ highWaterMark: 3 });
  const messages = draws(50);
  const writes = messages.map((m) => queue.write(m));
  expect(queue.length).toBe(3);
  const read: SampleMessage[] = [];
  const reading = (async () => {
    for await (const m of queue) read.push(m);
  })();
  await Promise.all(writes);
  queue.close!();
  await reading;
  expect(read).toStrictEqual(messages);
  expect(queue.maxLength).toBe(3);
});

test("a consumer that stops early does not block the run", async () => {
  const queue = asyncIterableSink({ highWaterMark: 2 });
  const run = pipe(replay(draws(100)), queue);
  let n = 0;
  for await (const _ of queue) if (++n === 5) break;
  expect(await run).toMatchObject({ messages: 100, sinkErrors: [] });
});

test("closed with an error, the sink yields what it holds, then throws", async () => {
  const queue = asyncIterableSink();
  const messages = draws(3);
  for (const m of messages) queue.write(m);
  queue.close!(new Error("the run failed"));
  const read: SampleMessage[] = [];
  await expect(
    (async () => {
      for await (const m of queue) read.push(m);
    })(),
  ).rejects.toThrow("the run failed");
  expect(read).toStrictEqual(messages);
});

test("a waiting consumer sees the end when the sink is closed", async () => {
  const queue = asyncIterableSink();
  const it = queue[Symbol.asyncIterator]();
  const next = it.next();
  queue.close!();
  expect(await next).toEqual({ value: undefined, done: true });
  expect(() => queue[Symbol.asyncIterator]()).toThrow(/one consumer/);
});
