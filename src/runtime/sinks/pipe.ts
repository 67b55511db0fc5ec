/**
 * Hands a run to sinks.
 * @module
 */
import type { SampleMessage } from "../messages.ts";
import { type Sink, type SinkError, warnSinkError } from "./sink.ts";
import { type SinkErrorOptions, tee } from "./tee.ts";

/** Options of {@link pipe}. */
export interface PipeOptions extends SinkErrorOptions {
  /** Stops the run: the source is ended (its `finally` blocks run) and the sinks are closed with the abort reason. */
  readonly signal?: AbortSignal;
}

/** How a {@link pipe} went. */
export interface PipeResult {
  /** Messages taken from the source. */
  readonly messages: number;
  /** The sinks that failed, one error each (they were also reported to `onSinkError`). */
  readonly sinkErrors: readonly SinkError[];
  /** Whether the signal stopped the run before its source ended. */
  readonly aborted: boolean;
}

/** Resolves when `signal` aborts (never otherwise). */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/**
 * Takes every message of `source` (a run: `sampleStream(...)`, a
 * {@link messagePortSource}, a {@link nodeStreamSource}) to `sinks`, waiting
 * for each sink that asks for it (back-pressure), then closes them.
 *
 * Sink failures never stop the run: a failed sink is reported and detached
 * and the others receive every message (see {@link tee}). A failure of the
 * source itself closes the sinks with that error and is rethrown.
 *
 * @example
 * ```ts
 * import { createWriteStream } from "node:fs";
 * const { sinkErrors } = await pipe(sampleStream(eightSchools, data, { seed: 1 }), [
 *   nodeStreamSink(createWriteStream("run.ndjson")),
 *   callbackSink((msg) => { if (msg.type === "chainDone") console.log(`chain ${msg.chain} done`); }),
 * ]);
 * ```
 */
export async function pipe(
  source: AsyncIterable<SampleMessage>,
  sinks: Sink | readonly Sink[],
  options: PipeOptions = {},
): Promise<PipeResult> {
  const sinkErrors: SinkError[] = [];
  const report = options.onSinkError ?? warnSinkError;
  const onSinkError = (e: SinkError) => {
    sinkErrors.push(e);
    report(e);
  };
  const sink = tee(Array.isArray(sinks) ? sinks : [sinks as Sink], { onSinkError });
  const { signal } = options;
  const stop = signal === undefined ? undefined : aborted(signal);
  let messages = 0;
  let failure: unknown;
  try {
    if (!signal?.aborted) {
      for await (const msg of source) {
        messages++;
        const r = sink.write(msg);
        // Without a signal, wait for the sinks; with one, also stop waiting when it aborts (a stuck consumer must not block Ctrl-C).
        if (r !== undefined) await (stop === undefined ? r : Promise.race([r, stop]));
        // Checked before taking the next message: taking it may mean computing another draw.
        if (signal?.aborted) break;
      }
    }
  } catch (e) {
    failure = e;
  }
  const stopped = failure === undefined && signal?.aborted === true;
  await sink.close!(failure ?? (stopped ? signal!.reason : undefined));
  if (failure !== undefined) throw failure;
  return { messages, sinkErrors, aborted: stopped };
}
