/**
 * Exactly once, per chain: what a chain has delivered so far, so that what
 * a restarted chain delivers again is dropped. A restarted chain (a thread
 * that died, a job redelivered to another machine) re-runs the iterations
 * after its last checkpoint; the counter-based random stream makes them the
 * very draws already delivered, and a chain's messages come in iteration
 * order, so "iteration ≤ last delivered" is the test.
 * @module
 */
import type { ChainCheckpoint } from "../inference/chain.ts";
import type { SampleMessage } from "./messages.ts";
import type { CheckpointItem } from "./workers/protocol.ts";

/** One chain's delivered items. */
export class ChainProgress {
  /** The last iteration whose draw was delivered. */
  lastIter: number;
  /** The last checkpoint delivered (the start's, if resuming). */
  checkpoint: ChainCheckpoint | undefined;
  /** Whether its `adapted` message was delivered. */
  adapted: boolean;
  /** Whether its `chainDone` message was delivered. */
  done = false;

  /**
   * @param chain 1-based.
   * @param resume Where the chain resumes from: what came before it was delivered, adaptation included once past `warmup`.
   * @param warmup The run's warm-up iterations.
   */
  constructor(
    readonly chain: number,
    resume: ChainCheckpoint | undefined,
    warmup: number,
  ) {
    this.checkpoint = resume;
    this.lastIter = resume?.iter ?? 0;
    this.adapted = resume !== undefined && resume.iter >= warmup;
  }

  /** Whether `item` (of this chain) is new; if so it counts as delivered. */
  accept(item: SampleMessage | CheckpointItem): boolean {
    switch (item.type) {
      case "draw":
        if (item.iter <= this.lastIter) return false;
        this.lastIter = item.iter;
        return true;
      case "adapted":
        if (this.adapted) return false;
        this.adapted = true;
        return true;
      case "chainDone":
        if (this.done) return false;
        this.done = true;
        return true;
      case "checkpoint":
        if (this.checkpoint !== undefined && item.checkpoint.iter <= this.checkpoint.iter) return false;
        this.checkpoint = item.checkpoint;
        return true;
      default:
        return true;
    }
  }
}
