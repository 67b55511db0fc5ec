/**
 * A chain worker as the supervisor sees it, whatever runs it (a Node worker
 * thread, `pool.ts`; a Web Worker, `pool.browser.ts`), and the pool that
 * keeps idle workers for reuse between runs: a process or page pays for
 * starting them once, not once per run.
 * @module
 */
import type { WorkerJob, WorkerReport } from "./protocol.ts";

/** Idle workers are ended after this long unused (ms). */
const IDLE_MS = 30_000;

/**
 * Limits of a worker's resources (Node's `resourceLimits` of a worker
 * thread, in MB): a thread that exceeds its heap limit dies, and the
 * supervisor restarts its chain from its last checkpoint. A page's Web
 * Workers take no limits (the browser sets its own).
 */
export interface ThreadLimits {
  /** The main heap's limit. */
  readonly maxOldGenerationSizeMb?: number;
  /** The heap space of recently created objects. */
  readonly maxYoungGenerationSizeMb?: number;
  /** The memory range for generated code. */
  readonly codeRangeSizeMb?: number;
  /** The thread's stack size. */
  readonly stackSizeMb?: number;
}

/** The pool's key of `limits`: threads are reused only for runs asking for the same limits. */
const limitsKey = (limits: ThreadLimits | undefined): string =>
  limits === undefined
    ? ""
    : JSON.stringify([limits.maxOldGenerationSizeMb, limits.maxYoungGenerationSizeMb, limits.codeRangeSizeMb, limits.stackSizeMb]);

/** Receives what a worker does while it runs a job. */
export interface JobHandler {
  /** A report of the job (in the order the worker posted them). */
  report(r: WorkerReport): void;
  /** The worker ended before reporting the job's end: why, in words. */
  died(reason: string): void;
}

/**
 * Steers one running job: bound to that job, so that what is said to it
 * after it ended never reaches the worker's next job.
 */
export interface JobControl {
  /**
   * Tells the job that `consumed` of its messages were taken so far; `wake`
   * when a paused worker should hear of it now (otherwise it may learn
   * later, with a following credit).
   */
  credit(consumed: number, wake: boolean): void;
  /** Asks the job to checkpoint where it is and stop. */
  stop(): void;
}

/**
 * One worker running chain jobs, one at a time. A host's subclass starts
 * jobs and steers them, and calls {@link ChainThread.reported} and
 * {@link ChainThread.ended} as its worker reports and ends.
 */
export abstract class ChainThread {
  private handler: JobHandler | undefined;
  /** The timer that ends the worker after it was parked unused for a while. */
  protected idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the worker has ended (it cannot be used again). */
  exited = false;
  /** The pool's key of the limits the worker was started with. */
  readonly limits: string;

  /** @param limits What the worker was started with (see the host's subclass). */
  constructor(
    private readonly onExit: (t: ChainThread) => void,
    limits?: ThreadLimits,
  ) {
    this.limits = limitsKey(limits);
  }

  /** Starts a job; the handler hears its reports, and of the worker's death if it dies first. */
  run(job: WorkerJob, handler: JobHandler): JobControl {
    this.engage(handler);
    return this.start(job);
  }

  /** Makes `handler` the one that hears the next job's reports (a subclass's other kinds of job start with it too). */
  protected engage(handler: JobHandler): void {
    clearTimeout(this.idleTimer);
    this.handler = handler;
  }

  /** Ends the worker now, whatever it is doing; a running job's handler hears of it as a death. */
  abstract terminate(): void;

  /** Lets go of the current job's handler without a report (the job's run is over). */
  detach(): void {
    this.handler = undefined;
  }

  /** Parks the worker: it ends when unused for a while. */
  park(onIdle: () => void): void {
    this.idleTimer = setTimeout(onIdle, IDLE_MS);
  }

  /** Sends the job to the worker; what steers it. */
  protected abstract start(job: WorkerJob): JobControl;

  /**
   * The worker posted `r`: handed to the job's handler (its end is reported
   * before the handler is let go; a summary's handler stays, as a thread may
   * have been given several summaries).
   */
  protected reported(r: WorkerReport): void {
    const h = this.handler;
    if (r.type !== "batch" && r.type !== "summary") this.handler = undefined;
    h?.report(r);
  }

  /** The worker ended, for `reason`: a running job's handler hears of it as a death. */
  protected ended(reason: string): void {
    if (this.exited) return;
    this.exited = true;
    clearTimeout(this.idleTimer);
    const h = this.handler;
    this.handler = undefined;
    this.onExit(this);
    h?.died(reason);
  }
}

/** The workers that are not running a job. */
export class ThreadPool<T extends ChainThread = ChainThread> {
  private readonly idle: T[] = [];

  /** @param spawn Starts a worker, with `limits`, that calls `onExit` when it ends. */
  constructor(private readonly spawn: (onExit: (t: ChainThread) => void, limits?: ThreadLimits) => T) {}

  /** Starts workers until `n` with these limits are idle, so that their start-up overlaps other work. */
  prestart(n: number, limits?: ThreadLimits): void {
    const key = limitsKey(limits);
    while (this.idle.filter((t) => t.limits === key).length < n) this.give(this.create(limits));
  }

  /** An idle worker started with these limits, or a new one. */
  take(limits?: ThreadLimits): T {
    const key = limitsKey(limits);
    const i = this.idle.findLastIndex((t) => t.limits === key);
    return i >= 0 ? this.idle.splice(i, 1)[0] : this.create(limits);
  }

  /** Returns a worker whose job ended normally. */
  give(t: T): void {
    if (t.exited) return;
    this.idle.push(t);
    t.park(() => {
      this.drop(t);
      t.terminate();
    });
  }

  private create(limits?: ThreadLimits): T {
    return this.spawn((t) => this.drop(t), limits);
  }

  private drop(t: ChainThread): void {
    const i = this.idle.indexOf(t as T);
    if (i >= 0) this.idle.splice(i, 1);
  }
}
