/**
 * A run across threads: messages posted through a MessagePort (a
 * MessageChannel's port, a worker's `parentPort`, a `Worker`), by structured
 * clone, which keeps infinities, NaN and -0 as they are, so no codec is
 * needed.
 *
 * On the port every message travels in an envelope, so that a port shared
 * with other traffic stays usable (the source ignores what is not its own):
 * - `{ sampo: "message", message, window? }`: one run message;
 * - `{ sampo: "end", error? }`: the sink was closed (with the error text if the run failed);
 * - `{ sampo: "credit", n }`: back from the source, `n` more messages may be sent (flow control).
 * @module
 */
import { checkMessage, CodecError } from "../codec.ts";
import type { SampleMessage } from "../messages.ts";
import { type SourceOptions, warnBadMessage } from "./badMessage.ts";
import type { Sink } from "./sink.ts";

/**
 * The part of a MessagePort, `parentPort` or `Worker` that the sink and
 * source use: posting, and the events "message", "close" (a port) and
 * "exit" (a worker).
 */
export interface PortLike {
  postMessage(value: unknown): void;
  on(event: string, listener: (value: unknown) => void): unknown;
  off(event: string, listener: (value: unknown) => void): unknown;
}

/** What the sink and the source post to each other. */
export type Envelope =
  | { readonly sampo: "message"; readonly message: SampleMessage; readonly window?: number }
  | { readonly sampo: "end"; readonly error?: string }
  | { readonly sampo: "credit"; readonly n: number };

function envelope(value: unknown): Envelope | undefined {
  const tag = (value as { sampo?: unknown } | null)?.sampo;
  return tag === "message" || tag === "end" || tag === "credit" ? (value as Envelope) : undefined;
}

/** Options of {@link messagePortSink}. */
export interface MessagePortSinkOptions {
  /**
   * Flow control: at most this many messages posted and not yet taken by the
   * consumer of a {@link messagePortSource} on the other side; past it,
   * `write` waits. Without it, posting never waits and a slow consumer's
   * thread buffers what a fast producer sends. Only for a port whose other
   * end is read by `messagePortSource`, which sends the credits.
   */
  readonly window?: number;
}

/**
 * A sink posting each message through `port`, by structured clone.
 * Closing the sink posts the end of the run; it does not close the port.
 *
 * @example
 * ```ts no-run: runs inside a worker thread, whose parentPort this test does not have
 * // in a worker thread (the main thread reads it with messagePortSource(worker))
 * import { parentPort } from "node:worker_threads";
 * await pipe(sampleStream(eightSchools, data), messagePortSink(parentPort!, { window: 256 }));
 * ```
 */
export function messagePortSink(port: PortLike, options: MessagePortSinkOptions = {}): Sink {
  const { window } = options;
  if (window !== undefined && (!Number.isInteger(window) || window < 2))
    throw new RangeError(`window must be an integer ≥ 2, got ${window}`);
  let inFlight = 0;
  let waiting: (() => void) | undefined; // the producer, waiting for credit
  const onCredit = (value: unknown) => {
    const e = envelope(value);
    // A credit that is not a count would make `inFlight` NaN, and flow control would stop working.
    if (e?.sampo !== "credit" || !Number.isSafeInteger(e.n) || e.n < 1) return;
    inFlight -= e.n;
    if (waiting !== undefined && inFlight < window!) {
      const go = waiting;
      waiting = undefined;
      go();
    }
  };
  if (window !== undefined) port.on("message", onCredit);
  return {
    name: "messagePort",
    write(message) {
      if (window === undefined) return port.postMessage({ sampo: "message", message });
      port.postMessage({ sampo: "message", message, window });
      if (++inFlight >= window) return new Promise<void>((resolve) => (waiting = resolve));
    },
    close(error) {
      if (window !== undefined) port.off("message", onCredit);
      port.postMessage(
        error === undefined ? { sampo: "end" } : { sampo: "end", error: error instanceof Error ? error.message : String(error) },
      );
    },
  };
}

/** Options of {@link messagePortSource}. */
export interface MessagePortSourceOptions extends SourceOptions {
  /** Called when the port has delivered the end of the run (e.g. to close the port). */
  readonly onEnd?: () => void;
}

/**
 * The messages a {@link messagePortSink} posts to the other end of `port`,
 * in order, until its end; if the sink was closed with an error, it is
 * thrown after the last message. Grants flow-control credits as the
 * consumer takes messages (half a window at a time, so that credits cost
 * little traffic). Stops listening to the port at the end (or when the
 * consumer stops early); it does not close the port.
 *
 * Each message is checked as the codec checks a decoded one
 * ({@link checkMessage}); one that is not a protocol message (or comes in a
 * malformed envelope) is skipped and reported to `onBadMessage` as a
 * {@link CodecError} (by default a process warning): the stream goes on,
 * and the producer still gets its credit for it.
 *
 * @example
 * ```ts
 * // Usually `port` is a Worker running messagePortSink(parentPort); here both ends are in one thread.
 * import { MessageChannel } from "node:worker_threads";
 * const { port1, port2 } = new MessageChannel();
 * const run = pipe(sampleStream(eightSchools, data, { seed: 1 }), messagePortSink(port1, { window: 256 }));
 * for await (const msg of messagePortSource(port2)) if (msg.type === "chainDone") console.log(`chain ${msg.chain} done`);
 * await run;
 * port1.close();
 * ```
 */
export async function* messagePortSource(port: PortLike, options: MessagePortSourceOptions = {}): AsyncGenerator<SampleMessage> {
  const report = options.onBadMessage ?? warnBadMessage;
  const queue: Envelope[] = [];
  let wake: (() => void) | undefined;
  const push = (e: Envelope) => {
    queue.push(e);
    wake?.();
  };
  const onMessage = (value: unknown) => {
    const e = envelope(value);
    if (e !== undefined && e.sampo !== "credit") push(e); // credits are for a sink; other traffic is not ours
  };
  // A port closed (or a worker gone) before the end of the run would otherwise leave the consumer waiting forever.
  const onGone = () => push({ sampo: "end", error: "the port closed before the end of the run" });
  port.on("message", onMessage);
  port.on("close", onGone);
  port.on("exit", onGone);
  let taken = 0; // messages taken since the last credit
  try {
    for (;;) {
      if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      const e = queue.shift()!;
      if (e.sampo === "end") {
        options.onEnd?.();
        if (e.error !== undefined) throw new Error(String(e.error));
        return;
      }
      if (e.sampo !== "message") continue;
      const msg = check(e, report);
      if (msg !== undefined) yield msg;
      // A window that is not a count ≥ 2 (reported by check) still gets credit, at once: the producer must not stall.
      if (e.window !== undefined && ++taken >= (isWindow(e.window) ? Math.floor(e.window / 2) : 1)) {
        port.postMessage({ sampo: "credit", n: taken });
        taken = 0;
      }
    }
  } finally {
    port.off("message", onMessage);
    port.off("close", onGone);
    port.off("exit", onGone);
  }
}

const isWindow = (w: unknown): w is number => Number.isSafeInteger(w) && (w as number) >= 2;

/** The message of a message envelope, checked; undefined (and reported) when it or its envelope is malformed. */
function check(e: Extract<Envelope, { sampo: "message" }>, report: (error: CodecError) => void): SampleMessage | undefined {
  try {
    if (e.window !== undefined && !isWindow(e.window))
      throw new CodecError("envelope.window", `expected an integer ≥ 2, got ${String(e.window)}`);
    return checkMessage(e.message);
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    report(error);
    return undefined;
  }
}
