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
import type { CheckpointItem } from "./workers/protocol.ts";

/** What an in-process run needs. */
export interface InProcessSpec {
  readonly density: CompiledDensity;
  readonly opts: ResolvedSampleOptions;
  readonly run: string;
  readonly chains: readonly ChainStart[];
  readonly checkpointEvery: number;
  /** When aborted, the running chain checkpoints where it is and the run stops. */
  readonly signal?: AbortSignal;
}

/**
 * The event loop gets a turn at least this often (ms). The chain computes
 * synchronously and an async generator's yields run as microtasks, so
 * without it timers and signal handlers (Ctrl-C) would wait for the whole run.
 */
const TURN_MS = 50;

/** Runs the chains in order in this thread; see {@link supervise} for the items and outcome. */
export async function* runInProcess(spec: InProcessSpec): AsyncGenerator<RunItem, RunOutcome> {
  const { density, opts, run, signal } = spec;
  let lastTurn = performance.now();
  for (const { chain, resume } of spec.chains) {
    if (signal?.aborted) return "stopped";
    // chainMessages hands over a checkpoint during the next() that follows the
    // messages it covers, so it is yielded before that next() call's message.
    const checkpoints: CheckpointItem[] = [];
    const messages = chainMessages({
      density,
      opts,
      run,
      chain,
      resume,
      checkpointEvery: spec.checkpointEvery,
      onCheckpoint: (checkpoint) => checkpoints.push({ type: "checkpoint", chain, checkpoint }),
      shouldStop: () => signal?.aborted === true,
    });
    for (;;) {
      let r: IteratorResult<RunItem, "done" | "stopped">;
      try {
        r = messages.next();
      } catch (e) {
        yield { type: "error", run, chain, message: e instanceof Error ? e.message : String(e) };
        return "failed";
      }
      yield* checkpoints.splice(0);
      if (r.done === true) {
        if (r.value === "stopped") return "stopped";
        break;
      }
      yield r.value;
      if (performance.now() - lastTurn >= TURN_MS) {
        await nextTurn();
        lastTurn = performance.now();
      }
    }
  }
  return "done";
}
