import { afterEach, expect, test, vi } from "vitest";
import { benchmarks } from "../../../examples/index.ts";
import type { SampleMessage } from "../../../src/runtime/messages.ts";
import { asyncIterableSink, callbackSink, guard, pipe, type Sink, SinkError, tee } from "../../../src/runtime/sinks/index.ts";
import { sampleStream } from "../../../src/fit/sampleStream.ts";
import { collect, realRun, replay } from "./fixtures.ts";

afterEach(() => vi.restoreAllMocks());

/** A sink that records what it gets and how it was closed. */
function recorder(name: string) {
  const got: SampleMessage[] = [];
  const closed: unknown[] = [];
  const sink: Sink = { name, write: (m) => void got.push(m), close: (e) => void closed.push(e ?? "clean") };
  return { sink, got, closed };
}

test("a sink that throws mid-run does not stop a real run: the others get every message, the error is reported", async () => {
  const { model, data } = benchmarks.eight_schools;
  const good = recorder("good");
  const closedWith: unknown[] = [];
  let calls = 0;
  const boom = new Error("disk full");
  const thrower: Sink = {
    name: "thrower",
    write: () => {
      if (++calls === 10) throw boom;
    },
    close: (e) => void closedWith.push(e),
  };
  const queue = asyncIterableSink({ highWaterMark: 4 });
  const reported: SinkError[] = [];
  const [result, viaQueue] = await Promise.all([
    pipe(sampleStream(model, data, { chains: 2, warmup: 20, draws: 20, seed: 5 }), [thrower, good.sink, queue], {
      onSinkError: (e) => reported.push(e),
    }),
    collect(queue),
  ]);
  expect(good.got.at(-1)!.type).toBe("done");
  expect(good.got.filter((m) => m.type === "draw")).toHaveLength(80);
  expect(viaQueue).toStrictEqual(good.got);
  expect(good.closed).toEqual(["clean"]);
  // Reported once, with the sink's name, the message it failed on and what it threw.
  expect(reported).toHaveLength(1);
  expect(reported[0]).toBeInstanceOf(SinkError);
  expect(reported[0].sink).toBe("thrower");
  expect(reported[0].cause).toBe(boom);
  expect(reported[0].failedOn).toStrictEqual(good.got[9]);
  expect(reported[0].message).toMatch(/sink thrower failed on a draw message: disk full/);
  expect(result.sinkErrors).toEqual(reported);
  expect(result.messages).toBe(good.got.length);
  // Detached after its failure (10 calls, no more) but still closed, with its own error.
  expect(calls).toBe(10);
  expect(closedWith).toEqual([boom]);
});

test("an async sink that rejects is reported the same way, and the producer is not left waiting", async () => {
  const messages = await realRun();
  const good = recorder("good");
  const reported: SinkError[] = [];
  const rejecter: Sink = {
    name: "rejecter",
    write: async (m) => {
      if (m.type === "adapted") throw new Error("network down");
    },
  };
  const result = await pipe(replay(messages), [rejecter, good.sink], { onSinkError: (e) => reported.push(e) });
  expect(good.got).toStrictEqual(messages);
  expect(reported.map((e) => [e.sink, e.failedOn?.type, (e.cause as Error).message])).toEqual([["rejecter", "adapted", "network down"]]);
  expect(result.sinkErrors).toHaveLength(1);
});

test("without a handler, a failed sink becomes a process warning", async () => {
  const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
  const good = recorder("good");
  await pipe(replay(await realRun()), [
    callbackSink(() => {
      throw new Error("nope");
    }, "bad"),
    good.sink,
  ]);
  expect(warn).toHaveBeenCalledTimes(1);
  expect(warn.mock.calls[0][0]).toBeInstanceOf(SinkError);
  expect(String((warn.mock.calls[0][0] as Error).message)).toMatch(/sink bad failed on a start message: nope/);
  expect(good.got.at(-1)!.type).toBe("done");
});

test("a sink whose close fails is reported; a handler that throws changes nothing", async () => {
  const reported: SinkError[] = [];
  const sink: Sink = {
    name: "c",
    write: () => {},
    close: () => {
      throw new Error("cannot flush");
    },
  };
  const result = await pipe(replay(await realRun()), sink, {
    onSinkError: (e) => {
      reported.push(e);
      throw new Error("the handler is broken too");
    },
  });
  expect(reported.map((e) => [e.sink, e.failedOn, (e.cause as Error).message])).toEqual([["c", undefined, "cannot flush"]]);
  expect(result.sinkErrors).toHaveLength(1);
});

test("tee names unnamed sinks by position and never throws", async () => {
  const reported: SinkError[] = [];
  const t = tee(
    [
      { write: () => {} },
      {
        write: () => {
          throw new Error("x");
        },
      },
    ],
    { onSinkError: (e) => reported.push(e) },
  );
  const msg: SampleMessage = { type: "done", run: "r" };
  expect(() => t.write(msg)).not.toThrow();
  expect(reported[0].sink).toBe("#2");
});

test("guard turns a rejected write into a report, and a sync sink stays sync", async () => {
  const reported: SinkError[] = [];
  const msg: SampleMessage = { type: "done", run: "r" };
  expect(guard({ write: () => {} }, (e) => reported.push(e)).write(msg)).toBeUndefined();
  await guard({ name: "a", write: () => Promise.reject(new Error("late")) }, (e) => reported.push(e)).write(msg);
  expect(reported.map((e) => e.sink)).toEqual(["a"]);
});

test("a source that fails closes every sink with its error, and pipe rethrows it", async () => {
  const good = recorder("good");
  const queue = asyncIterableSink();
  async function* failing(): AsyncGenerator<SampleMessage> {
    yield { type: "done", run: "r" };
    throw new Error("worker lost");
  }
  const read = collect(queue);
  await expect(pipe(failing(), [good.sink, queue])).rejects.toThrow("worker lost");
  expect(good.got).toHaveLength(1);
  expect((good.closed[0] as Error).message).toBe("worker lost");
  await expect(read).rejects.toThrow("worker lost");
});

test("an abort signal stops the run, ends the source and closes the sinks with the reason", async () => {
  const controller = new AbortController();
  let finalized = false;
  async function* endless(): AsyncGenerator<SampleMessage> {
    try {
      for (let i = 1; ; i++) yield { type: "chainDone", run: "r", chain: 1, elapsed: { warmup: i, sampling: 0 } };
    } finally {
      finalized = true;
    }
  }
  const good = recorder("good");
  let n = 0;
  const result = await pipe(
    endless(),
    [
      good.sink,
      callbackSink(() => {
        if (++n === 50) controller.abort(new Error("Ctrl-C"));
      }),
    ],
    { signal: controller.signal },
  );
  expect(result).toMatchObject({ messages: 50, aborted: true });
  expect(finalized).toBe(true);
  expect((good.closed[0] as Error).message).toBe("Ctrl-C");
});

test("an abort is not held up by a consumer that stopped reading", async () => {
  const controller = new AbortController();
  const stuck = asyncIterableSink({ highWaterMark: 1 }); // never read
  setTimeout(() => controller.abort(new Error("stop")), 20);
  const result = await pipe(replay(await realRun()), stuck, { signal: controller.signal });
  expect(result.aborted).toBe(true);
  expect(result.messages).toBe(2); // one queued, one waiting for room when the abort came
});
