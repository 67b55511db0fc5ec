/**
 * One run, several sinks.
 * @module
 */
import { guard, type Sink, type SinkErrorHandler, warnSinkError } from "./sink.ts";

/** How a tee (and {@link pipe}) reports a failed sink. */
export interface SinkErrorOptions {
  /** Called once per failed sink (default: a process warning on stderr). */
  readonly onSinkError?: SinkErrorHandler;
}

/**
 * A sink that gives every message to each of `sinks`, in order. Writes go to
 * all sinks at once and the tee waits for the slowest, so one sink's
 * back-pressure holds back the producer for all of them. A sink that throws
 * or rejects is reported through `onSinkError` and detached (see
 * {@link guard}); the others keep receiving every message. The tee itself
 * never throws.
 *
 * @example
 * ```ts
 * import { createWriteStream } from "node:fs";
 * const log = callbackSink((msg) => { if (msg.type === "chainDone") console.log(`chain ${msg.chain} done`); });
 * await pipe(sampleStream(eightSchools, data), tee([nodeStreamSink(createWriteStream("run.ndjson")), log]));
 * ```
 */
export function tee(sinks: readonly Sink[], options: SinkErrorOptions = {}): Sink {
  const onError = options.onSinkError ?? warnSinkError;
  const guarded = sinks.map((s, i) => guard(s, onError, s.name ?? `#${i + 1}`));
  return {
    name: "tee",
    write(msg) {
      // No promise is made unless some sink asks the producer to wait: most writes are synchronous.
      let pending: Promise<void>[] | undefined;
      for (const s of guarded) {
        const r = s.write(msg);
        if (r !== undefined) (pending ??= []).push(r);
      }
      if (pending !== undefined) return Promise.all(pending).then(() => undefined);
    },
    async close(error) {
      await Promise.all(guarded.map((s) => s.close!(error)));
    },
  };
}
