/**
 * What every sink is, and how a failing sink is kept from failing the run.
 * @module
 */
import type { SampleMessage } from "../messages.ts";

/**
 * A consumer of a run's messages. `write` receives every message in order;
 * a sink that needs the producer to slow down returns a promise, and the
 * producer ({@link pipe}) waits for it before the next message.
 *
 * @example
 * ```ts
 * let n = 0;
 * const sink: Sink = { name: "count", write: (msg) => { if (msg.type === "draw") n++; } };
 * await pipe(sampleStream(eightSchools, data), sink);
 * n; // 8000: 4 chains × (1000 warm-up + 1000 sampling iterations)
 * ```
 */
export interface Sink {
  /** How error reports name this sink. */
  readonly name?: string;
  /** Takes one message; a returned promise holds the producer back until it settles. */
  write(msg: SampleMessage): void | Promise<void>;
  /**
   * No message follows. `error` is set when the run ended abnormally (its
   * source threw, it was aborted, or this sink itself failed).
   */
  close?(error?: unknown): void | Promise<void>;
}

/** A sink's `write` or `close` threw or rejected. */
export class SinkError extends Error {
  override readonly name = "SinkError";
  constructor(
    /** The failing sink's name (or its position among the sinks of a tee). */
    readonly sink: string,
    /** The message it was writing; undefined when it failed in `close`. */
    readonly failedOn: SampleMessage | undefined,
    /** What it threw. */
    override readonly cause: unknown,
  ) {
    super(
      `sink ${sink} failed ${failedOn === undefined ? "on close" : `on a ${failedOn.type} message`}: ${cause instanceof Error ? cause.message : String(cause)}; it receives no more messages, the run goes on`,
    );
  }
}

/** Receives the failure of a sink. */
export type SinkErrorHandler = (error: SinkError) => void;

/** The default report of a failed sink: a process warning (printed on stderr, never fatal). */
export const warnSinkError: SinkErrorHandler = (error) => process.emitWarning(error);

function isPromise(x: unknown): x is Promise<unknown> {
  return typeof (x as { then?: unknown } | undefined)?.then === "function";
}

/**
 * `sink`, made unable to fail its producer: the first error of `write` or
 * `close` (thrown or rejected) goes to `onError` as a {@link SinkError}, and
 * from then on the sink is detached: it receives no further message (a sink
 * that failed once is usually broken: a closed pipe, a full disk), but it is
 * still closed, with its own error, so that it can release what it holds.
 * The returned sink never throws and never rejects.
 */
export function guard(sink: Sink, onError: SinkErrorHandler = warnSinkError, name = sink.name ?? "unnamed"): Sink {
  let failure: unknown;
  let failed = false;
  const fail = (e: unknown, msg: SampleMessage | undefined) => {
    if (failed) return;
    failed = true;
    failure = e;
    try {
      onError(new SinkError(name, msg, e));
    } catch {
      // A handler that throws must not break the guarantee that guarded sinks never throw.
    }
  };
  return {
    name,
    write(msg) {
      if (failed) return;
      let r: void | Promise<void>;
      try {
        r = sink.write(msg);
      } catch (e) {
        return fail(e, msg);
      }
      if (isPromise(r)) return r.then(undefined, (e: unknown) => fail(e, msg));
    },
    async close(error) {
      try {
        await sink.close?.(failed ? failure : error);
      } catch (e) {
        fail(e, undefined);
      }
    },
  };
}
