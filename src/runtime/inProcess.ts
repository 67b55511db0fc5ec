/**
 * Chains run one after another in this thread (`workers` ≤ 1): the same
 * items as the supervisor yields, produced on demand, so a slow consumer
 * simply slows the chain down.
 * @module
 */
import { nextTurn } from "../nextTurn.ts";
import type { CompiledDensity } from "../codegen/density.ts";
import type { ResolvedSampleOptions } from "../inference/options.ts";
import { chainMessages } from "./chainRunner.ts";
import type { ChainStart, RunItem, RunOutcome } from "./supervisor.ts";

/** What an in-process run needs. */
export interface InProcessSpec {
  readonly density: CompiledDensity;
  readonly opts: ResolvedSampleOptions;
  readonly run: string;
  readonly chains: readonly ChainStart[];
  /** Checkpoint every this many iterations (never when absent: a stop still checkpoints where it is). */
  readonly checkpointEvery?: number;
  /** When aborted, the running chain checkpoints where it is and the run stops. */
  readonly signal?: AbortSignal;
  /** Give the kept draws their Stan CSV rows (see `RunOptions.csvRows`). */
  readonly csvRows?: boolean;
}

/**
 * The event loop gets a turn at least this often (ms). The chain computes
 * synchronously and an async generator's yields run as microtasks, so
 * without it timers and signal handlers (Ctrl-C) would wait for the whole run.
 */
const TURN_MS = 50;
/** Items per batch at most: the consumer sees draws at least this often, and holds no more at once. */
const MAX_BATCH = 256;

/** Runs the chains in order in this thread; see {@link supervise} for the batches and outcome. */
export async function* runInProcess(spec: InProcessSpec): AsyncGenerator<RunItem[], RunOutcome> {
  const { density, opts, run, signal } = spec;
  let lastTurn = performance.now();
  let batch: RunItem[] = [];
  for (const { chain, resume } of spec.chains) {
    if (signal?.aborted) {
      if (batch.length > 0) yield batch;
      return "stopped";
    }
    // chainMessages hands over a checkpoint during the next() that follows the
    // messages it covers, so it goes into the batch before that next() call's message.
    const messages = chainMessages({
      density,
      opts,
      run,
      chain,
      resume,
      checkpointEvery: spec.checkpointEvery,
      onCheckpoint: (checkpoint) => batch.push({ type: "checkpoint", chain, checkpoint }),
      shouldStop: () => signal?.aborted === true,
      csvRows: spec.csvRows,
    });
    for (;;) {
      let r: IteratorResult<RunItem, "done" | "stopped">;
      try {
        r = messages.next();
      } catch (e) {
        batch.push({ type: "error", run, chain, message: e instanceof Error ? e.message : String(e) });
        yield batch;
        return "failed";
      }
      if (r.done === true) {
        if (r.value === "stopped") {
          if (batch.length > 0) yield batch;
          return "stopped";
        }
        break;
      }
      batch.push(r.value);
      const turn = performance.now() - lastTurn >= TURN_MS;
      if (turn || batch.length >= MAX_BATCH) {
        yield batch;
        batch = [];
      }
      if (turn) {
        await nextTurn();
        lastTurn = performance.now();
      }
    }
  }
  if (batch.length > 0) yield batch;
  return "done";
}
