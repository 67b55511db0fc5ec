/**
 * A sink read with `for await`: a bounded queue between a run and a consumer
 * that may be slower than it.
 * @module
 */
import type { SampleMessage } from "../messages.ts";
import type { Sink } from "./sink.ts";

/** Options of {@link asyncIterableSink}. */
export interface AsyncIterableSinkOptions {
  /** Messages the queue holds before `write` makes the producer wait (16). */
  readonly highWaterMark?: number;
}

/** A sink that is also the async iterable of the messages written to it. */
export interface AsyncIterableSink extends Sink, AsyncIterable<SampleMessage> {
  /** Messages waiting for the consumer now. */
  readonly length: number;
  /** The most messages that ever waited at once: never more than the high-water mark. */
  readonly maxLength: number;
}

interface Reader {
  resolve(r: IteratorResult<SampleMessage>): void;
  reject(e: unknown): void;
}

/**
 * A sink whose messages are read with `for await`, with back-pressure: the
 * queue holds at most `highWaterMark` messages; when it is full, `write`
 * returns a promise that resolves only once the consumer has taken one, so a
 * producer that awaits its writes ({@link pipe} does) runs no further ahead
 * of a slow consumer than that, and memory stays bounded.
 *
 * One consumer only. When the consumer stops early (`break`), later writes
 * are dropped rather than blocking the producer forever (to stop the run
 * too, abort the signal given to {@link pipe}). If the sink is
 * closed with an error, the consumer gets every queued message, then the
 * error is thrown from its loop.
 *
 * @example
 * ```ts
 * import { setImmediate as nextTurn } from "node:timers/promises";
 * const sink = asyncIterableSink({ highWaterMark: 64 });
 * const run = pipe(sampleStream(eightSchools, data), sink);
 * for await (const msg of sink) if (msg.type === "draw") await nextTurn(); // a slow consumer (e.g. redrawing a plot)
 * await run;
 * ```
 */
export function asyncIterableSink(options: AsyncIterableSinkOptions = {}): AsyncIterableSink {
  const highWaterMark = options.highWaterMark ?? 16;
  if (!Number.isInteger(highWaterMark) || highWaterMark < 1)
    throw new RangeError(`highWaterMark must be an integer ≥ 1, got ${highWaterMark}`);
  const items: SampleMessage[] = [];
  const readers: Reader[] = []; // consumers waiting for a message
  const writers: (() => void)[] = []; // producers waiting for room, oldest first
  let maxLength = 0;
  let closed = false;
  let closeError: unknown;
  let cancelled = false; // the consumer left
  let iterating = false;

  const enqueue = (msg: SampleMessage) => {
    items.push(msg);
    if (items.length > maxLength) maxLength = items.length;
  };
  // The end of the stream, for one read: the close error is thrown once, then the iterator is done.
  const end = (): Promise<IteratorResult<SampleMessage>> => {
    const error = closeError;
    closeError = undefined;
    return error !== undefined ? Promise.reject(error) : Promise.resolve({ value: undefined, done: true });
  };

  const iterator: AsyncIterator<SampleMessage> = {
    next() {
      if (items.length > 0) {
        const value = items.shift()!;
        writers.shift()?.(); // room for one more: let the oldest waiting producer in
        return Promise.resolve({ value, done: false });
      }
      if (cancelled) return Promise.resolve({ value: undefined, done: true });
      if (closed) return end();
      return new Promise((resolve, reject) => readers.push({ resolve, reject }));
    },
    return() {
      cancelled = true;
      items.length = 0;
      for (const w of writers.splice(0)) w(); // release waiting producers; being cancelled, they enqueue nothing
      return Promise.resolve({ value: undefined, done: true });
    },
  };

  return {
    name: "asyncIterable",
    get length() {
      return items.length;
    },
    get maxLength() {
      return maxLength;
    },
    write(msg) {
      if (cancelled) return;
      if (closed) throw new Error("write after close");
      const reader = readers.shift();
      if (reader !== undefined) return reader.resolve({ value: msg, done: false });
      // Waiting producers go first, so that messages keep their order even if a producer does not await.
      if (items.length < highWaterMark && writers.length === 0) return enqueue(msg);
      return new Promise<void>((resolve) =>
        writers.push(() => {
          if (!cancelled) enqueue(msg);
          resolve();
        }),
      );
    },
    close(error) {
      if (closed) return;
      closed = true;
      closeError = error;
      // Readers wait only on an empty queue: they get the end now.
      for (const r of readers.splice(0)) end().then(r.resolve, r.reject);
    },
    [Symbol.asyncIterator]() {
      if (iterating) throw new Error("asyncIterableSink: one consumer only");
      iterating = true;
      return iterator;
    },
  };
}
