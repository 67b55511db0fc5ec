/**
 * A bad message in the middle of good ones, into every source (issue #16):
 * the consumer gets every good message, in order, and the bad one is
 * reported — to `onBadMessage`, or by default as a process warning — and
 * the stream goes on. Through `pipe`, the sinks behind a source (a
 * callback, a `for await` queue, a tee of both) see the same.
 */
import { Readable } from "node:stream";
import { MessageChannel } from "node:worker_threads";
import { afterEach, expect, test, vi } from "vitest";
import { decodeFrame, encodeFrame, FrameError } from "../../src/runtime/cluster/frames.ts";
import { CodecError, encodeLine } from "../../src/runtime/codec.ts";
import type { SampleMessage } from "../../src/runtime/messages.ts";
import {
  asyncIterableSink,
  callbackSink,
  messagePortSink,
  messagePortSource,
  nodeStreamSource,
  pipe,
  tee,
} from "../../src/runtime/sinks/index.ts";
import { BatchBuilder } from "../../src/runtime/workers/protocol.ts";
import { nastyMessages } from "./sinks/nasty.ts";

const good = nastyMessages();
const half = Math.floor(good.length / 2);
const ndjson = (middle: string | Uint8Array): Uint8Array =>
  Buffer.concat([
    Buffer.from(good.slice(0, half).map(encodeLine).join("")),
    Buffer.from(middle),
    Buffer.from(good.slice(half).map(encodeLine).join("")),
  ]);

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}

/** The messages of an NDJSON text with a bad line, and the reports. */
async function readNdjson(
  bytes: Uint8Array,
  options: { maxLineBytes?: number } = {},
): Promise<{ got: SampleMessage[]; bad: CodecError[] }> {
  const bad: CodecError[] = [];
  const got = await collect(nodeStreamSource(Readable.from([bytes]), { ...options, onBadMessage: (e) => void bad.push(e) }));
  return { got, bad };
}

afterEach(() => vi.restoreAllMocks());

test("NDJSON: a line that is not a message, in the middle, is reported with its line number; every good message arrives", async () => {
  for (const [middle, why] of [
    ['{"v":1,"type":"draw","run":"r"}\n', /line 7: draw\.chain: expected a number, got undefined/],
    ["not json at all\n", /line 7: line: not JSON/],
    [Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d, 0x0a), /line 7: line: not UTF-8/],
    ['{"v":2,"type":"done","run":"r"}\r\n', /line 7: message\.v: expected protocol version 1, got number/],
  ] as const) {
    const { got, bad } = await readNdjson(ndjson(middle));
    expect(got).toStrictEqual(good);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toBeInstanceOf(CodecError);
    expect(bad[0].line).toBe(half + 1);
    expect(bad[0].message).toMatch(why);
  }
});

test("NDJSON: a line longer than maxLineBytes is reported and skipped, without holding it; the next line is read", async () => {
  const { got, bad } = await readNdjson(ndjson(`${"x".repeat(5000)}\n`), { maxLineBytes: 4096 });
  expect(got).toStrictEqual(good);
  expect(bad.map((e) => e.message)).toEqual([`line ${half + 1}: line: longer than 4096 bytes`]);
});

test("NDJSON: blank lines, CRLF and a byte-order mark are not bad lines", async () => {
  const text = "\uFEFF" + good.map((m) => encodeLine(m).replace("\n", "\r\n")).join("\n   \n");
  const { got, bad } = await readNdjson(Buffer.from(text));
  expect(bad).toEqual([]);
  expect(got).toStrictEqual(good);
});

test("NDJSON: without a handler a bad line is a process warning, and the stream goes on", async () => {
  const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
  const got = await collect(nodeStreamSource(Readable.from([ndjson("{}\n")])));
  expect(got).toStrictEqual(good);
  expect(warn).toHaveBeenCalledTimes(1);
  expect(warn.mock.calls[0][0]).toBeInstanceOf(CodecError);
});

test("NDJSON through pipe: a callback, a for-await queue and a tee of both get every good message", async () => {
  const bad: CodecError[] = [];
  const seen: SampleMessage[] = [];
  const teed: SampleMessage[] = [];
  const queue = asyncIterableSink({ highWaterMark: 4 });
  const source = nodeStreamSource(Readable.from([ndjson('{"v":1,"type":"chainDone"}\n')]), { onBadMessage: (e) => void bad.push(e) });
  const [result, queued] = await Promise.all([
    pipe(source, [callbackSink((m) => void seen.push(m)), queue, tee([callbackSink((m) => void teed.push(m))])]),
    collect(queue),
  ]);
  expect(result.messages).toBe(good.length);
  expect(result.sinkErrors).toEqual([]);
  for (const got of [seen, queued, teed]) expect(got).toStrictEqual(good);
  expect(bad).toHaveLength(1);
});

test("MessagePort: a malformed message between good ones is reported and skipped; the producer still gets its credit", async () => {
  const { port1, port2 } = new MessageChannel();
  try {
    const bad: CodecError[] = [];
    const reading = collect(messagePortSource(port2, { onBadMessage: (e) => void bad.push(e) }));
    const sink = messagePortSink(port1, { window: 2 });
    for (const m of good.slice(0, half)) await sink.write(m);
    // What a broken producer might post: a draw without its values, and an envelope whose window is not a count.
    port1.postMessage({ sampo: "message", message: { type: "draw", run: "r", chain: 1, iter: 1, warmup: false }, window: 2 });
    port1.postMessage({ sampo: "message", message: good[0], window: "abc" });
    port1.postMessage({ sampo: "credit", n: "lots" }); // posted to the source's side: not for it, ignored
    for (const m of good.slice(half)) await sink.write(m); // would wait forever if the bad envelopes got no credit
    await sink.close!();
    expect(await reading).toStrictEqual(good);
    expect(bad.map((e) => e.path)).toEqual(["draw.values", "envelope.window"]);
  } finally {
    port1.close();
    port2.close();
  }
});

test("MessagePort sink: a credit that is not a count is ignored, and flow control keeps working", async () => {
  const { port1, port2 } = new MessageChannel();
  try {
    const sink = messagePortSink(port1, { window: 2 });
    const reading = collect(messagePortSource(port2));
    port2.postMessage({ sampo: "credit", n: NaN }); // would make the sink's count of messages in flight NaN
    port2.postMessage({ sampo: "credit", n: -5 });
    for (const m of good) await sink.write(m);
    await sink.close!();
    expect(await reading).toStrictEqual(good);
  } finally {
    port1.close();
    port2.close();
  }
});

test("a cluster frame with a bad item is a FrameError naming it; the frames around it still decode", () => {
  const frame = (items: object[]) => {
    const b = new BatchBuilder(1, 1);
    for (const item of items) b.add(item as SampleMessage);
    return encodeFrame(b.take());
  };
  const done = { type: "chainDone", run: "r", chain: 1, elapsed: { warmup: 1, sampling: 2 } };
  const frames = [frame([done]), frame([{ type: "adapted", run: "r", chain: 1, stepSize: 0.1 }]), frame([done])];
  const outcomes = frames.map((f) => {
    try {
      return decodeFrame(f).others.map((o) => o.item.type);
    } catch (e) {
      expect(e).toBeInstanceOf(FrameError);
      return (e as Error).message;
    }
  });
  expect(outcomes).toEqual([["chainDone"], "frame item 1: adapted.invMetric: expected an array, got undefined", ["chainDone"]]);
});
