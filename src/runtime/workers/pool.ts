/**
 * Chain worker threads in Node, kept for reuse between runs (a thread costs
 * a few hundred milliseconds to start, see entry.ts). A job is steered
 * through a shared control array the thread reads while its chain runs.
 * The browser build uses `pool.browser.ts` (Web Workers) in its place.
 * @module
 */
import { Worker } from "node:worker_threads";
import { workerEntry } from "./entry.ts";
import { CONTROL, CONTROL_LENGTH, type SharedControlJob, type WorkerJob, type WorkerReport } from "./protocol.ts";
import type { ReadJob } from "./readJob.ts";
import type { SummaryJob } from "./summaryJob.ts";
import { ChainThread, type JobControl, type JobHandler, type ThreadLimits, ThreadPool } from "./thread.ts";

/** A Node worker thread running chain jobs, summary jobs and read jobs. */
class NodeChainThread extends ChainThread {
  private readonly worker: Worker;
  private error: Error | undefined;

  constructor(onExit: (t: ChainThread) => void, limits?: ThreadLimits) {
    super(onExit, limits);
    this.worker = new Worker(workerEntry(), { resourceLimits: limits });
    this.worker.on("message", (r: WorkerReport) => this.reported(r));
    this.worker.on("error", (e) => (this.error = e));
    this.worker.on("messageerror", (e) => {
      this.error = e;
      void this.worker.terminate();
    });
    this.worker.on("exit", (code) => this.ended(deathReason(this.error, code)));
  }

  /** The job gets its own control array: a credit to a job that ended lands in that job's array, read by no one. */
  protected start(job: WorkerJob): JobControl {
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_LENGTH * Int32Array.BYTES_PER_ELEMENT));
    this.worker.ref();
    this.worker.postMessage({ ...job, control: control.buffer as SharedArrayBuffer } satisfies SharedControlJob);
    return {
      credit(consumed, wake) {
        Atomics.store(control, CONTROL.consumed, consumed);
        if (wake) Atomics.notify(control, CONTROL.consumed);
      },
      stop() {
        Atomics.store(control, CONTROL.stop, 1);
        Atomics.notify(control, CONTROL.consumed);
      },
    };
  }

  /**
   * Has the worker take part in a summary (summaryJob.ts) or read Stan CSV
   * files (readJob.ts); the handler hears its report (for a summary, that it
   * found nothing left to do), or of its death.
   */
  runTask(job: SummaryJob | ReadJob, handler: JobHandler): void {
    this.engage(handler);
    this.worker.ref();
    this.worker.postMessage(job);
  }

  terminate(): void {
    void this.worker.terminate();
  }

  /** Parked, the thread no longer keeps the process alive. */
  override park(onIdle: () => void): void {
    super.park(onIdle);
    this.idleTimer?.unref();
    this.worker.unref();
  }
}

/** Why a thread ended, in words: what it threw, its memory limit, or its exit code. */
function deathReason(error: Error | undefined, code: number): string {
  if ((error as NodeJS.ErrnoException | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY") return `it ran out of memory (${error!.message})`;
  return error !== undefined ? `uncaught ${error.name}: ${error.message}` : `the thread exited with code ${code}`;
}

/** The process's pool of chain threads. */
export const threadPool = new ThreadPool((onExit, limits) => new NodeChainThread(onExit, limits));
