/**
 * The simplest sink: a function called with each message.
 * @module
 */
import type { SampleMessage } from "../messages.ts";
import type { Sink } from "./sink.ts";

/**
 * A sink that calls `fn` with each message. If `fn` returns a promise, the
 * producer waits for it (so an async callback applies back-pressure).
 *
 * @example
 * ```ts
 * let divergences = 0;
 * await pipe(sampleStream(eightSchools, data), callbackSink((msg) => { if (msg.type === "draw" && msg.stats.divergent) divergences++; }));
 * ```
 */
export function callbackSink(fn: (msg: SampleMessage) => void | Promise<void>, name = "callback"): Sink {
  return { name, write: fn };
}
