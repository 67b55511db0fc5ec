import { fileURLToPath } from "node:url";
import { MessageChannel } from "node:worker_threads";
import { setImmediate as tick } from "node:timers/promises";
import { afterEach, expect, test } from "vitest";
import type { DrawMessage, SampleMessage } from "../../../src/runtime/messages.ts";
import { messagePortSink, messagePortSource, pipe } from "../../../src/runtime/sinks/index.ts";
import { collect, nastyMessages, realRun, replay } from "./fixtures.ts";
import { startWorker } from "./threads.ts";

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

function channel(): MessageChannel {
  const c = new MessageChannel();
  channels.push(c);
  return c;
}

test("a real run goes through a MessageChannel by structured clone, unchanged", async () => {
  const messages = await realRun();
  const { port1, port2 } = channel();
  const [result, back] = await Promise.all([pipe(replay(messages), messagePortSink(port1)), collect(messagePortSource(port2))]);
  expect(result.sinkErrors).toEqual([]);
  expect(back).toStrictEqual(messages);
});

test("infinities, NaN and -0 cross a MessagePort as they are", async () => {
  const { port1, port2 } = channel();
  const [, back] = await Promise.all([pipe(replay(nastyMessages()), messagePortSink(port1)), collect(messagePortSource(port2))]);
  expect(back).toStrictEqual(nastyMessages());
});

test("from a worker thread to this one: every message, in order, unchanged", async () => {
  const worker = startWorker(fileURLToPath(new URL("./portWorker.ts", import.meta.url)), { draws: 2000, window: 64 });
  try {
    const back = await collect(messagePortSource(worker));
    expect(back.slice(0, nastyMessages().length - 1)).toStrictEqual(nastyMessages().slice(0, -1));
    const draws = back.filter((m): m is DrawMessage => m.type === "draw" && m.run === "w");
    expect(draws.map((d) => d.iter)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
    expect(Object.is(draws[7].values[2], -0)).toBe(true);
    expect(draws[7].stats.energy).toBe(-Infinity);
    expect(back.at(-1)).toEqual({ type: "done", run: "w" });
  } finally {
    await worker.terminate();
  }
});

test("with a window, no more than that many messages are in flight to a slow consumer", async () => {
  const { port1, port2 } = channel();
  const window = 8;
  let posted = 0;
  const post = port1.postMessage.bind(port1);
  port1.postMessage = (v: unknown) => {
    if ((v as { sampo?: string }).sampo === "message") posted++;
    post(v);
  };
  const messages = await realRun();
  const run = pipe(replay(messages), messagePortSink(port1, { window }));
  let taken = 0;
  let ahead = 0;
  const back: SampleMessage[] = [];
  for await (const m of messagePortSource(port2)) {
    taken++;
    ahead = Math.max(ahead, posted - taken);
    back.push(m);
    await tick();
  }
  await run;
  expect(back).toStrictEqual(messages);
  expect(ahead).toBeLessThan(window);
  expect(ahead).toBeGreaterThanOrEqual(window / 2); // the producer did run ahead, as far as the window let it
});

test("without a window, the same slow consumer lets messages pile up (the measure can fail)", async () => {
  const { port1, port2 } = channel();
  let posted = 0;
  const post = port1.postMessage.bind(port1);
  port1.postMessage = (v: unknown) => {
    if ((v as { sampo?: string }).sampo === "message") posted++;
    post(v);
  };
  const messages = await realRun();
  const run = pipe(replay(messages), messagePortSink(port1));
  let taken = 0;
  let ahead = 0;
  for await (const _ of messagePortSource(port2)) {
    ahead = Math.max(ahead, posted - ++taken);
    await tick();
  }
  await run;
  expect(ahead).toBeGreaterThan(100);
});

test("a run that failed ends the source with its error, after its messages", async () => {
  const { port1, port2 } = channel();
  async function* failing(): AsyncGenerator<SampleMessage> {
    yield { type: "done", run: "r" };
    throw new Error("chain 2 died");
  }
  const got: SampleMessage[] = [];
  const reading = (async () => {
    for await (const m of messagePortSource(port2)) got.push(m);
  })();
  await expect(pipe(failing(), messagePortSink(port1))).rejects.toThrow("chain 2 died");
  await expect(reading).rejects.toThrow("chain 2 died");
  expect(got).toEqual([{ type: "done", run: "r" }]);
});

test("a port closed before the end of the run ends the source with an error", async () => {
  const { port1, port2 } = channel();
  const reading = collect(messagePortSource(port2));
  messagePortSink(port1).write({ type: "done", run: "r" });
  port1.close();
  await expect(reading).rejects.toThrow(/closed before the end/);
});

test("the source ignores other traffic on a shared port", async () => {
  const { port1, port2 } = channel();
  const reading = collect(messagePortSource(port2));
  port1.postMessage({ hello: 1 });
  port1.postMessage("text");
  port1.postMessage(null);
  const sink = messagePortSink(port1);
  sink.write({ type: "done", run: "r" });
  sink.close!();
  expect(await reading).toEqual([{ type: "done", run: "r" }]);
});
