/**
 * A chain job as a worker runs it, in a Node thread or a Web Worker alike:
 * rebuilds the density from its plain form, runs the chain, and posts its
 * messages and checkpoints back in batches, pausing while the consumer is
 * too far behind. What differs between the hosts (how reports are posted,
 * how the worker waits for credit, how it exits) is a {@link WorkerSide}:
 * `chainWorker.ts` for Node, `chainWorker.browser.ts` for a page.
 * @module
 */
import type { CompiledDensity, PlainDensity } from "../../codegen/density.ts";
import { loadDensity } from "../../codegen/js/load.ts";
import { chainMessages } from "../chainRunner.ts";
import { BatchBuilder, type CheckpointItem, faultFires, postable, type WorkerJob, type WorkerReport } from "./protocol.ts";
import type { SampleMessage } from "../messages.ts";

/** Messages per batch at most: one postMessage per draw would cost more than a small model's iteration. */
const MAX_BATCH = 256;
/** A batch is posted at least this often (ms), so that consumers see draws live. */
const MAX_DELAY_MS = 20;

/** What a host gives a running job. */
export interface WorkerSide {
  /** Posts a report to the supervisor, transferring `transfer`. */
  post(report: WorkerReport, transfer?: ArrayBuffer[]): void;
  /**
   * Called after each batch, with the job's messages posted so far: returns
   * (or resolves) once fewer than the job's high-water mark of them wait to
   * be consumed, or a stop was asked for.
   */
  pace(posted: number): void | Promise<void>;
  /** Whether the supervisor asked the chain to checkpoint and stop. */
  stopRequested(): boolean;
  /** The `"exit"` fault: ends the worker abruptly, if the host can (an uncaught error follows if it returns). */
  exit(): void;
}

/** The density of the last run seen: the chains of one run share it, as in-process. */
let cached: { run: string; density: CompiledDensity } | undefined;

function densityOf(run: string, plain: PlainDensity): CompiledDensity {
  if (cached?.run !== run) cached = { run, density: loadDensity(plain) };
  return cached.density;
}

/** The error of a `"throw"` fault (and of an `"exit"` one on a host that cannot exit). */
class InjectedFault extends Error {}

/** Posts a chain's items in batches; each flush paces the chain through its host. */
class Poster {
  private readonly batch: BatchBuilder;
  private readonly maxBatch: number;
  private posted = 0;
  private lastPost = performance.now();

  constructor(
    valueSize: number,
    highWaterMark: number,
    private readonly side: WorkerSide,
  ) {
    // A batch never exceeds the high-water mark, so at most twice it is ever in flight.
    this.maxBatch = Math.max(1, Math.min(MAX_BATCH, highWaterMark));
    this.batch = new BatchBuilder(valueSize, this.maxBatch);
  }

  /** Adds an item, flushing when the batch is full or old enough. */
  add(item: SampleMessage | CheckpointItem): void | Promise<void> {
    this.batch.add(item);
    if (this.batch.length >= this.maxBatch || performance.now() - this.lastPost >= MAX_DELAY_MS) return this.flush();
  }

  /** Posts what is batched, then lets the host pace the chain. */
  flush(): void | Promise<void> {
    if (this.batch.length > 0) {
      this.posted += this.batch.length;
      const b = postable(this.batch.take());
      this.side.post(b, [b.draws.buffer]);
    }
    this.lastPost = performance.now();
    return this.side.pace(this.posted);
  }
}

/**
 * Runs one job to its end, posting its batches and then `end` (or `failed`
 * with the reason: an exception of the chain itself is reported, not
 * thrown). Only an injected fault escapes, to be rethrown as uncaught: it is
 * to kill the worker as a real crash would. Awaits only what the host's
 * `pace` returns, so a host that paces synchronously runs the chain in one go.
 */
async function runJob(job: WorkerJob, side: WorkerSide): Promise<void> {
  const workerFaults = job.faults.filter((f) => f.how !== "terminate");
  let poster: Poster | undefined;
  try {
    const density = densityOf(job.run, job.plain);
    const out = new Poster(density.valueSize, job.highWaterMark, side);
    poster = out;
    let checkpointed = false;
    const messages = chainMessages({
      density,
      opts: job.opts,
      run: job.run,
      chain: job.chain,
      resume: job.resume,
      checkpointEvery: job.checkpointEvery,
      // A checkpoint goes out at once (below), after the messages it covers: a worker dying later loses nothing before it.
      onCheckpoint: (checkpoint) => {
        void out.add({ type: "checkpoint", chain: job.chain, checkpoint });
        checkpointed = true;
      },
      shouldStop: () => side.stopRequested(),
      csvRows: job.csvRows,
    });
    for (;;) {
      const r = messages.next();
      // A checkpoint is handed over during the next() after the messages it covers, before the message it returns.
      if (checkpointed) {
        checkpointed = false;
        await out.flush();
      }
      if (r.done === true) {
        await out.flush();
        side.post({ type: "end", outcome: r.value });
        return;
      }
      const msg = r.value;
      if (msg.type === "draw") {
        for (const f of workerFaults) {
          if (!faultFires(f, job.chain, job.attempt, msg.iter, msg.values)) continue;
          if (f.how === "exit") side.exit();
          throw new InjectedFault(`injected fault: chain ${job.chain} iteration ${msg.iter}`);
        }
      }
      const paced = out.add(msg);
      if (paced !== undefined) await paced;
    }
  } catch (e) {
    if (e instanceof InjectedFault) throw e;
    await poster?.flush();
    side.post({ type: "failed", message: e instanceof Error ? e.message : String(e) });
  }
}

/** Runs a job; a fault that escapes it is rethrown as an uncaught exception, which ends a Node thread and reports an error to a page. */
export function serveJob(job: WorkerJob, side: WorkerSide): void {
  runJob(job, side).catch((e: unknown) =>
    queueMicrotask(() => {
      throw e;
    }),
  );
}
