/**
 * One chain as a stream of messages, resumable from a checkpoint: the unit
 * of work that runs in-process, in a worker thread or on another machine.
 * @module
 */
import type { CompiledDensity } from "../codegen/density.ts";
import { Chain, type ChainCheckpoint } from "../inference/chain.ts";
import { chainSettings, type ResolvedSampleOptions } from "../inference/options.ts";
import type { SampleMessage } from "./messages.ts";
import { toNumbers } from "../numeric/arrays.ts";
import { csvRow } from "../io/stanCsv/index.ts";
import { isKept } from "./keptRows.ts";

/** What a chain needs to run. */
export interface ChainJob {
  readonly density: CompiledDensity;
  readonly opts: ResolvedSampleOptions;
  readonly run: string;
  /** 1-based chain number. */
  readonly chain: number;
  /** Continue from this state instead of starting afresh. */
  readonly resume?: ChainCheckpoint;
  /** Checkpoint every this many iterations (never when absent). */
  readonly checkpointEvery?: number;
  /** Receives each checkpoint, after the messages of the iterations it covers. */
  readonly onCheckpoint?: (checkpoint: ChainCheckpoint) => void;
  /**
   * Asked after every iteration: when it answers true the chain hands a
   * checkpoint of where it is to `onCheckpoint` and ends without `chainDone`
   * (the generator returns "stopped"), so that it can be resumed later.
   */
  readonly shouldStop?: () => boolean;
  /** Give each draw a run directory keeps (after warm-up, or every one when warm-up is saved) its Stan CSV row. */
  readonly csvRows?: boolean;
}

/** How {@link chainMessages} ended: the chain finished, or it was asked to stop. */
export type ChainOutcome = "done" | "stopped";

/** Whether iteration `iter` (1-based) is streamed: every `thin`-th of warm-up and of sampling. */
export function isStreamed(iter: number, opts: Pick<ResolvedSampleOptions, "warmup" | "thin">): boolean {
  return iter <= opts.warmup ? (iter - 1) % opts.thin === 0 : (iter - opts.warmup - 1) % opts.thin === 0;
}

/**
 * The messages of one chain: its draws (warm-up flagged), `adapted` when
 * warm-up ends and `chainDone`. A resumed chain emits only the iterations
 * after its checkpoint, exactly as the uninterrupted chain would have.
 */
export function* chainMessages(job: ChainJob): Generator<SampleMessage, ChainOutcome> {
  const { density, opts, run, chain: k } = job;
  const started = performance.now();
  let warmupEnd = started;
  const chain = new Chain(density, chainSettings(density, opts, k), job.resume);
  if (opts.warmup === 0 && job.resume === undefined) yield { type: "adapted", run, chain: k, ...chain.adaptation() };
  const values = new Float64Array(density.valueSize);
  for (let t = chain.next(); t !== undefined; t = chain.next()) {
    if (isStreamed(t.iter, opts)) {
      density.constrain(t.theta, values);
      const draw = { type: "draw", run, chain: k, iter: t.iter, warmup: t.warmup, values: toNumbers(values), stats: t.stats } as const;
      yield job.csvRows === true && isKept(t.warmup, opts) ? { ...draw, csvRow: csvRow(t.stats, values, density.valueLayout) } : draw;
    }
    if (t.iter === opts.warmup) {
      warmupEnd = performance.now();
      yield { type: "adapted", run, chain: k, ...chain.adaptation() };
    }
    const due = job.checkpointEvery !== undefined && t.iter % job.checkpointEvery === 0;
    // A stop is honoured between iterations only, where the state is whole;
    // the last iteration needs no stop: the chain is about to be done.
    const stop = !chain.done && job.shouldStop?.() === true;
    if (due || stop) job.onCheckpoint?.(chain.checkpoint());
    if (stop) return "stopped";
  }
  const ended = performance.now();
  yield { type: "chainDone", run, chain: k, elapsed: { warmup: (warmupEnd - started) / 1000, sampling: (ended - warmupEnd) / 1000 } };
  return "done";
}
