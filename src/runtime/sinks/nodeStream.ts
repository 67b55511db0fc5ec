/**
 * A run as NDJSON over Node streams: a file, a pipe, a socket, stdout.
 * @module
 */
import type { Readable, Writable } from "node:stream";
import { type CodecError, decodeLine, encodeLine, LineSplitter } from "../codec.ts";
import type { SampleMessage } from "../messages.ts";
import type { Sink } from "./sink.ts";

/** Options of {@link nodeStreamSink}. */
export interface NodeStreamSinkOptions {
  /** End the stream when the sink is closed (true); false for `process.stdout` and streams that outlive the run. */
  readonly end?: boolean;
}

/** Resolves on 'drain'; rejects if the stream fails or closes first. */
function drained(w: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (e?: unknown) => {
      w.off("drain", onDrain).off("error", onError).off("close", onClose);
      if (e === undefined) resolve();
      else reject(e);
    };
    const onDrain = () => done();
    const onError = (e: unknown) => done(e);
    const onClose = () => done(new Error("the stream closed before it drained"));
    w.on("drain", onDrain).on("error", onError).on("close", onClose);
  });
}

/**
 * A sink writing each message as one NDJSON line ({@link encodeLine}) to
 * `writable`, with the stream's back-pressure: when `write` returns false
 * (the stream's buffer is past its high-water mark) the producer waits for
 * 'drain'. A stream error (a closed pipe, a full disk) fails the next write
 * instead of crashing the process, so the run goes on without this sink.
 * Closing ends the stream (unless `end: false`), also when the run failed:
 * every line written is complete, and the run's own `error` message, if it
 * sent one, is among them.
 *
 * @example
 * ```ts
 * import { createWriteStream } from "node:fs";
 * await pipe(sampleStream(eightSchools, data), nodeStreamSink(createWriteStream("run.ndjson")));
 * ```
 */
export function nodeStreamSink(writable: Writable, options: NodeStreamSinkOptions = {}): Sink {
  let error: unknown;
  // Without a listener, a stream 'error' event would be an uncaught exception; here it fails this sink only.
  const onError = (e: unknown) => (error ??= e);
  writable.on("error", onError);
  return {
    name: "nodeStream",
    write(msg) {
      if (error !== undefined) throw error;
      // A destroyed stream never drains: fail now rather than wait forever.
      if (writable.destroyed) throw new Error("the stream was destroyed");
      if (!writable.write(encodeLine(msg))) return drained(writable);
    },
    async close() {
      try {
        if (error !== undefined || !(options.end ?? true)) return;
        await new Promise<void>((resolve, reject) => writable.end((e?: unknown) => (e ? reject(e) : resolve())));
        if (error !== undefined) throw error;
      } finally {
        writable.off("error", onError);
      }
    },
  };
}

/**
 * The messages of an NDJSON stream (as {@link nodeStreamSink} writes it), in
 * order: a run consumed in another process, or read back from a file. Reads
 * at the consumer's pace (the stream is paused between reads). A malformed
 * line throws a {@link CodecError}; a last line without its newline is read
 * like the others.
 *
 * @example
 * ```ts
 * import { createReadStream, createWriteStream } from "node:fs";
 * await pipe(sampleStream(eightSchools, data, { seed: 1 }), nodeStreamSink(createWriteStream("run.ndjson")));
 * // read it back (or read another process's stdout: nodeStreamSource(child.stdout))
 * for await (const msg of nodeStreamSource(createReadStream("run.ndjson"))) if (msg.type === "chainDone") console.log(`chain ${msg.chain} done`);
 * ```
 */
export async function* nodeStreamSource(readable: Readable): AsyncGenerator<SampleMessage> {
  const lines = new LineSplitter();
  const utf8 = new TextDecoder(); // streaming: a multi-byte character may straddle two chunks
  for await (const chunk of readable as AsyncIterable<string | Uint8Array>) {
    for (const line of lines.push(typeof chunk === "string" ? chunk : utf8.decode(chunk, { stream: true }))) yield decodeLine(line);
  }
  for (const line of lines.push(utf8.decode())) yield decodeLine(line);
  const last = lines.end();
  if (last !== undefined) yield decodeLine(last);
}
