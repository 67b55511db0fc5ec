/**
 * The body of a chain worker thread: takes one job at a time, rebuilds the
 * density from its plain form and runs the chain, posting its messages and
 * checkpoints back in batches.
 *
 * The chain runs synchronously, so the worker does not read its port while
 * a job runs; the supervisor steers it through a shared control array
 * instead (how many messages were consumed, whether to stop).
 * @module
 */
import { parentPort } from "node:worker_threads";
import type { CompiledDensity, PlainDensity } from "../../codegen/density.ts";
import { loadDensity } from "../../codegen/js/load.ts";
import { chainMessages } from "../chainRunner.ts";
import { BatchBuilder, CONTROL, faultFires, type WorkerJob, type WorkerReport } from "./protocol.ts";

/** Messages per batch at most: one postMessage per draw would cost more than a small model's iteration. */
const MAX_BATCH = 256;
/** A batch is posted at least this often (ms), so that consumers see draws live. */
const MAX_DELAY_MS = 20;
/** How long to sleep at a time while the consumer is behind (ms); a notify wakes the worker sooner. */
const WAIT_MS = 50;

const port = parentPort;
if (port === null) throw new Error("chainWorker runs in a worker thread");

/** The density of the last run seen: the chains of one run share it, as in-process. */
let cached: { run: string; density: CompiledDensity } | undefined;

function densityOf(run: string, plain: PlainDensity): CompiledDensity {
  if (cached?.run !== run) cached = { run, density: loadDensity(plain) };
  return cached.density;
}

function post(report: WorkerReport): void {
  port!.postMessage(report);
}

/** The error of a `"throw"` fault. */
class InjectedFault extends Error {}

/** Posts a chain's items in batches, pausing while the consumer is too far behind. */
class Poster {
  private readonly batch: BatchBuilder;
  private readonly maxBatch: number;
  private posted = 0;
  private lastPost = performance.now();

  constructor(
    valueSize: number,
    private readonly control: Int32Array,
    private readonly highWaterMark: number,
  ) {
    // A batch never exceeds the high-water mark, so at most twice it is ever in flight.
    this.maxBatch = Math.max(1, Math.min(MAX_BATCH, highWaterMark));
    this.batch = new BatchBuilder(valueSize, this.maxBatch);
  }

  /** Adds an item, posting the batch when it is full or old enough. */
  add(item: Parameters<BatchBuilder["add"]>[0]): void {
    this.batch.add(item);
    if (this.batch.length >= this.maxBatch || performance.now() - this.lastPost >= MAX_DELAY_MS) this.flush();
  }

  /** Posts what is batched, then sleeps while too many posted items wait for the consumer (unless stopping). */
  flush(): void {
    if (this.batch.length > 0) {
      this.posted += this.batch.length;
      const b = this.batch.take();
      port!.postMessage(b, [b.draws.buffer]);
    }
    this.lastPost = performance.now();
    const c = this.control;
    for (;;) {
      const consumed = Atomics.load(c, CONTROL.consumed);
      if (this.posted - consumed < this.highWaterMark || Atomics.load(c, CONTROL.stop) === 1) break;
      Atomics.wait(c, CONTROL.consumed, consumed, WAIT_MS);
    }
  }
}

/** Runs one job to its end; an exception in the chain itself (not a fault) is reported, not thrown. */
function runJob(job: WorkerJob): void {
  const control = new Int32Array(job.control);
  const workerFaults = job.faults.filter((f) => f.how !== "terminate");
  let poster: Poster | undefined;
  try {
    const density = densityOf(job.run, job.plain);
    const out = new Poster(density.valueSize, control, job.highWaterMark);
    poster = out;
    const messages = chainMessages({
      density,
      opts: job.opts,
      run: job.run,
      chain: job.chain,
      resume: job.resume,
      checkpointEvery: job.checkpointEvery,
      // A checkpoint goes out at once, after the messages it covers: a worker dying later loses nothing before it.
      onCheckpoint: (checkpoint) => {
        out.add({ type: "checkpoint", chain: job.chain, checkpoint });
        out.flush();
      },
      shouldStop: () => Atomics.load(control, CONTROL.stop) === 1,
    });
    for (;;) {
      const r = messages.next();
      if (r.done === true) {
        out.flush();
        post({ type: "end", outcome: r.value });
        return;
      }
      const msg = r.value;
      if (msg.type === "draw") {
        for (const f of workerFaults) {
          if (!faultFires(f, job.chain, job.attempt, msg.iter, msg.values)) continue;
          if (f.how === "exit") process.exit(1);
          throw new InjectedFault(`injected fault: chain ${job.chain} iteration ${msg.iter}`);
        }
      }
      out.add(msg);
    }
  } catch (e) {
    // An injected fault escapes: it is to kill the thread as an uncaught exception would.
    if (e instanceof InjectedFault) throw e;
    poster?.flush();
    post({ type: "failed", message: e instanceof Error ? e.message : String(e) });
  }
}

port.on("message", (job: WorkerJob) => runJob(job));
