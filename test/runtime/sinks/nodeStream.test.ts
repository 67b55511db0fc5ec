import { PassThrough, Readable, Writable } from "node:stream";
import { setImmediate as tick } from "node:timers/promises";
import { expect, test } from "vitest";
import { CodecError, encodeLine } from "../../../src/runtime/codec.ts";
import type { SampleMessage } from "../../../src/runtime/messages.ts";
import { nodeStreamSink, nodeStreamSource, pipe, type SinkError } from "../../../src/runtime/sinks/index.ts";
import { collect, nastyMessages, realRun, replay } from "./fixtures.ts";

test("a real run goes through a PassThrough as NDJSON and comes back unchanged", async () => {
  const messages = await realRun();
  const wire = new PassThrough();
  const [result, back] = await Promise.all([pipe(replay(messages), nodeStreamSink(wire)), collect(nodeStreamSource(wire))]);
  expect(result.sinkErrors).toEqual([]);
  expect(back).toStrictEqual(messages);
});

test("infinities, NaN and -0 survive the trip through a stream", async () => {
  const wire = new PassThrough();
  const [, back] = await Promise.all([pipe(replay(nastyMessages()), nodeStreamSink(wire)), collect(nodeStreamSource(wire))]);
  expect(back).toStrictEqual(nastyMessages());
});

test("the source reads lines cut anywhere, multi-byte characters split across chunks included", async () => {
  const bytes = Buffer.from(nastyMessages().map(encodeLine).join(""));
  const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(7 * i, 7 * i + 7));
  expect(await collect(nodeStreamSource(Readable.from(chunks)))).toStrictEqual(nastyMessages());
  // A last line without its newline is read too.
  const text = nastyMessages().map(encodeLine).join("").trimEnd();
  expect(await collect(nodeStreamSource(Readable.from([text])))).toStrictEqual(nastyMessages());
});

test("a malformed line throws its CodecError from the source when the handler rethrows it (a strict reader)", async () => {
  const text = encodeLine({ type: "done", run: "r" }) + '{"v":1,"type":"draw"}\n';
  const strict = nodeStreamSource(Readable.from([text]), {
    onBadMessage: (e) => {
      throw e;
    },
  });
  await expect(collect(strict)).rejects.toBeInstanceOf(CodecError);
});

test("the sink honours the stream's back-pressure: it waits for 'drain'", async () => {
  const wire = new PassThrough({ highWaterMark: 64 }); // smaller than one line: every write fills it
  const sink = nodeStreamSink(wire);
  const pending = sink.write(nastyMessages()[1]);
  expect(pending).toBeInstanceOf(Promise);
  let drained = false;
  void (pending as Promise<void>).then(() => (drained = true));
  await tick();
  expect(drained).toBe(false); // nobody has read yet
  wire.read();
  await pending;
  expect(drained).toBe(true);
});

test("with nobody reading, a run piped to a stream stops at the stream's buffer", async () => {
  const messages = await realRun();
  const wire = new PassThrough({ highWaterMark: 1024, readableHighWaterMark: 1024 });
  let taken = 0;
  async function* counted(): AsyncGenerator<SampleMessage> {
    for (const m of messages) {
      taken++;
      yield m;
    }
  }
  const run = pipe(counted(), nodeStreamSink(wire));
  await new Promise((r) => setTimeout(r, 50));
  expect(taken).toBeLessThan(20); // ~2 KiB buffered, not the whole run
  const back = await collect(nodeStreamSource(wire));
  await run;
  expect(back).toStrictEqual(messages);
});

test("a stream that fails is a failed sink, not a crash", async () => {
  const broken = new Writable({
    write(_chunk, _enc, cb) {
      cb(new Error("EPIPE"));
    },
  });
  const reported: SinkError[] = [];
  const result = await pipe(replay(await realRun()), nodeStreamSink(broken), { onSinkError: (e) => reported.push(e) });
  expect(result.messages).toBe((await realRun()).length);
  expect(reported).toHaveLength(1);
  expect(String(reported[0].cause)).toMatch(/EPIPE/);
});

test("{ end: false } leaves the stream open (for stdout)", async () => {
  const wire = new PassThrough();
  await pipe(replay([{ type: "done", run: "r" }]), nodeStreamSink(wire, { end: false }));
  expect(wire.writableEnded).toBe(false);
  wire.end();
  expect(await collect(nodeStreamSource(wire))).toStrictEqual([{ type: "done", run: "r" }]);
});
