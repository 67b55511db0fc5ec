/**
 * Chain worker threads, kept for reuse between runs: a process pays for
 * starting them (a few hundred milliseconds each, see entry.ts) once, not
 * once per run.
 * @module
 */
import { Worker } from "node:worker_threads";
import { workerEntry } from "./entry.ts";
import type { WorkerJob, WorkerReport } from "./protocol.ts";

/** Idle threads are ended after this long unused (ms). */
const IDLE_MS = 30_000;

/** Receives what a thread does while it runs a job. */
export interface JobHandler {
  /** A report of the job (in the order the worker posted them). */
  report(r: WorkerReport): void;
  /** The thread ended before reporting the job's end: why, in words. */
  died(reason: string): void;
}

/** One worker thread running chain jobs, one at a time. */
export class ChainThread {
  private readonly worker: Worker;
  private handler: JobHandler | undefined;
  private error: Error | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Whether the thread has ended (it cannot be used again). */
  exited = false;

  constructor(private readonly onExit: (t: ChainThread) => void) {
    this.worker = new Worker(workerEntry());
    this.worker.on("message", (r: WorkerReport) => {
      // The job's end is reported before the handler is let go: a later exit is no death of it.
      const h = this.handler;
      if (r.type !== "batch") this.handler = undefined;
      h?.report(r);
    });
    this.worker.on("error", (e) => (this.error = e));
    this.worker.on("messageerror", (e) => {
      this.error = e;
      void this.worker.terminate();
    });
    this.worker.on("exit", (code) => {
      this.exited = true;
      clearTimeout(this.idleTimer);
      const h = this.handler;
      this.handler = undefined;
      this.onExit(this);
      h?.died(this.error !== undefined ? `uncaught ${this.error.name}: ${this.error.message}` : `the thread exited with code ${code}`);
    });
  }

  /** Starts a job; the handler hears its reports, and of the thread's death if it dies first. */
  run(job: WorkerJob, handler: JobHandler): void {
    clearTimeout(this.idleTimer);
    this.handler = handler;
    this.worker.ref();
    this.worker.postMessage(job);
  }

  /** Ends the thread now, whatever it is doing; a running job's handler hears of it as a death. */
  terminate(): void {
    void this.worker.terminate();
  }

  /** Lets go of the current job's handler without a report (the job's run is over). */
  detach(): void {
    this.handler = undefined;
  }

  /** Parks the thread: it no longer keeps the process alive, and ends when unused for a while. */
  park(onIdle: () => void): void {
    this.worker.unref();
    this.idleTimer = setTimeout(onIdle, IDLE_MS);
    this.idleTimer.unref();
  }
}

/** The process's chain threads that are not running a job. */
class ThreadPool {
  private readonly idle: ChainThread[] = [];

  /** Starts threads until `n` are idle, so that their start-up overlaps other work. */
  prestart(n: number): void {
    while (this.idle.length < n) this.give(this.spawn());
  }

  /** An idle thread, or a new one. */
  take(): ChainThread {
    return this.idle.pop() ?? this.spawn();
  }

  /** Returns a thread whose job ended normally. */
  give(t: ChainThread): void {
    if (t.exited) return;
    this.idle.push(t);
    t.park(() => {
      this.drop(t);
      t.terminate();
    });
  }

  private spawn(): ChainThread {
    return new ChainThread((t) => this.drop(t));
  }

  private drop(t: ChainThread): void {
    const i = this.idle.indexOf(t);
    if (i >= 0) this.idle.splice(i, 1);
  }
}

/** The shared pool of chain threads. */
export const threadPool = new ThreadPool();
