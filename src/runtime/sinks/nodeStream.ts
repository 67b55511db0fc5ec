/**
 * A run as NDJSON over Node streams: a file, a pipe, a socket, stdout.
 * @module
 */
import type { Readable, Writable } from "node:stream";
import { CodecError, decodeLine, encodeLine } from "../codec.ts";
import type { SampleMessage } from "../messages.ts";
import { type SourceOptions, warnBadMessage } from "./badMessage.ts";
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

/** Options of {@link nodeStreamSource}. */
export interface NodeStreamSourceOptions extends SourceOptions {
  /**
   * The longest line read (256 MiB): a longer one is reported as bad and
   * skipped up to its newline, so that a producer that never writes a
   * newline cannot make the reader hold everything it sends.
   */
  readonly maxLineBytes?: number;
}

/** Default of {@link NodeStreamSourceOptions.maxLineBytes}: far above a draw of millions of values, below JavaScript's longest string. */
const MAX_LINE_BYTES = 2 ** 28;

const NEWLINE = 0x0a;

/**
 * Cuts a byte stream into lines at newline bytes (a newline byte is never
 * part of a multi-byte UTF-8 character, so no character is ever cut). A
 * line longer than `max` bytes comes out as undefined; its bytes are not
 * kept.
 */
class ByteLines {
  private parts: Uint8Array[] = [];
  private size = 0;
  private overlong = false;

  constructor(private readonly max: number) {}

  /** Whether a line without its newline yet is pending. */
  get pending(): boolean {
    return this.size > 0 || this.overlong;
  }

  /** The lines that `chunk` completes. */
  push(chunk: Uint8Array): (Uint8Array | undefined)[] {
    const lines: (Uint8Array | undefined)[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      this.add(chunk.subarray(start, nl));
      lines.push(this.end());
      start = nl + 1;
    }
    // A copy: the stream may reuse the chunk's memory once it has been handed over.
    if (start < chunk.length) this.add(chunk.slice(start));
    return lines;
  }

  /** The pending line, ended (by its newline, or by the end of the input). */
  end(): Uint8Array | undefined {
    const line = this.overlong ? undefined : this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    this.overlong = false;
    return line;
  }

  private add(piece: Uint8Array): void {
    if (this.overlong || piece.length === 0) return;
    this.size += piece.length;
    if (this.size <= this.max) this.parts.push(piece);
    else {
      this.overlong = true;
      this.parts = [];
    }
  }
}

/**
 * The messages of an NDJSON stream (as {@link nodeStreamSink} writes it), in
 * order: a run consumed in another process, or read back from a file. Reads
 * at the consumer's pace (the stream is paused between reads). A last line
 * without its newline is read like the others; blank lines, a byte-order
 * mark and CRLF line ends are allowed.
 *
 * A line that is not a message (not UTF-8, not JSON, not a protocol
 * message, too long) is skipped and reported to `onBadMessage` as a
 * {@link CodecError} with its line number (by default a process warning):
 * the stream goes on, and the good messages around it all arrive.
 *
 * @example
 * ```ts
 * import { createReadStream, createWriteStream } from "node:fs";
 * await pipe(sampleStream(eightSchools, data, { seed: 1 }), nodeStreamSink(createWriteStream("run.ndjson")));
 * // read it back (or read another process's stdout: nodeStreamSource(child.stdout))
 * for await (const msg of nodeStreamSource(createReadStream("run.ndjson"))) if (msg.type === "chainDone") console.log(`chain ${msg.chain} done`);
 * ```
 */
export async function* nodeStreamSource(readable: Readable, options: NodeStreamSourceOptions = {}): AsyncGenerator<SampleMessage> {
  const report = options.onBadMessage ?? warnBadMessage;
  const max = options.maxLineBytes ?? MAX_LINE_BYTES;
  const lines = new ByteLines(max);
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const text = new TextEncoder();
  let n = 0;
  // The message on the next line; undefined for a blank line or a bad one (reported).
  const read = (bytes: Uint8Array | undefined): SampleMessage | undefined => {
    n++;
    try {
      if (bytes === undefined) throw new CodecError("line", `longer than ${max} bytes`, n);
      let line: string;
      try {
        line = utf8.decode(bytes);
      } catch {
        throw new CodecError("line", "not UTF-8", n);
      }
      return line.trim() === "" ? undefined : decodeLine(line, n);
    } catch (e) {
      if (!(e instanceof CodecError)) throw e;
      report(e);
      return undefined;
    }
  };
  for await (const chunk of readable as AsyncIterable<string | Uint8Array>) {
    for (const bytes of lines.push(typeof chunk === "string" ? text.encode(chunk) : chunk)) {
      const msg = read(bytes);
      if (msg !== undefined) yield msg;
    }
  }
  if (lines.pending) {
    const msg = read(lines.end());
    if (msg !== undefined) yield msg;
  }
}
