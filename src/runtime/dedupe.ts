/**
 * Exactly once and nothing skipped, per chain: what a chain has delivered
 * so far, so that what a restarted chain delivers again is dropped, and
 * what comes after a lost message is held back until the chain is re-run.
 *
 * A restarted chain (a thread that died, a job redelivered to another
 * machine) re-runs the iterations after its last checkpoint; the
 * counter-based random stream makes them the very draws already delivered,
 * and a chain's messages come in iteration order, so "iteration ≤ last
 * delivered" is a repeat. Which iterations a chain streams follows from the
 * run's options, so a message past the next one expected means one was lost
 * on the way (a frame a server dropped or garbled): that is "ahead".
 * @module
 */
import type { ChainCheckpoint } from "../inference/chain.ts";
import type { ResolvedSampleOptions } from "../inference/options.ts";
import { isStreamed } from "./chainRunner.ts";
import type { SampleMessage } from "./messages.ts";
import type { CheckpointItem } from "./workers/protocol.ts";

/** What a chain's item is to its progress: the next one, a repeat of one delivered, or one past a gap. */
export type Arrival = "new" | "repeat" | "ahead";

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
   * @param resume Where the chain resumes from: what came before it was delivered, adaptation included once past warm-up.
   * @param opts The run's options: which iterations are streamed, and how many there are.
   */
  constructor(
    readonly chain: number,
    resume: ChainCheckpoint | undefined,
    private readonly opts: Pick<ResolvedSampleOptions, "warmup" | "draws" | "thin">,
  ) {
    this.checkpoint = resume;
    this.lastIter = resume?.iter ?? 0;
    this.adapted = resume !== undefined && resume.iter >= opts.warmup;
  }

  /** Whether the draws of the iterations up to `iter` that are streamed were delivered. */
  private drawsUpTo(iter: number): boolean {
    for (let j = this.lastIter + 1; j <= iter; j++) if (isStreamed(j, this.opts)) return false;
    return true;
  }

  /** Whether every message of the iterations up to `iter` was delivered (the streamed draws, and `adapted` once past warm-up). */
  private deliveredUpTo(iter: number): boolean {
    return (iter < this.opts.warmup || this.adapted) && this.drawsUpTo(iter);
  }

  /** What `item` (of this chain) is; a new one counts as delivered. */
  accept(item: SampleMessage | CheckpointItem): Arrival {
    switch (item.type) {
      case "draw":
        if (item.iter <= this.lastIter) return "repeat";
        if (!this.deliveredUpTo(item.iter - 1)) return "ahead";
        this.lastIter = item.iter;
        return "new";
      case "adapted":
        if (this.adapted) return "repeat";
        // Sent once warm-up's last iteration is done: after its draw, if streamed.
        if (!this.drawsUpTo(this.opts.warmup)) return "ahead";
        this.adapted = true;
        return "new";
      case "chainDone":
        if (this.done) return "repeat";
        if (!this.deliveredUpTo(this.opts.warmup + this.opts.draws)) return "ahead";
        this.done = true;
        return "new";
      case "checkpoint":
        if (this.checkpoint !== undefined && item.checkpoint.iter <= this.checkpoint.iter) return "repeat";
        if (!this.deliveredUpTo(item.checkpoint.iter)) return "ahead";
        this.checkpoint = item.checkpoint;
        return "new";
      default:
        return "new";
    }
  }
}
