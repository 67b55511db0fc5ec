/**
 * The supervisor: runs chains on workers (Node's worker threads, or a
 * page's Web Workers in the browser build), restarts a chain whose worker
 * died from its last checkpoint, and merges what the workers report into
 * one stream in which every (chain, iteration) appears exactly once.
 *
 * Why restarts cannot duplicate or lose draws: a worker posts a checkpoint
 * after the messages it covers, so the last checkpoint received is never
 * ahead of the messages received. A restarted chain re-runs the iterations
 * after that checkpoint, and what it delivers again is dropped (dedupe.ts).
 * @module
 */
import { nextTurn } from "../nextTurn.ts";
import type { PlainDensity } from "../codegen/density.ts";
import type { ChainCheckpoint } from "../inference/chain.ts";
import type { ResolvedSampleOptions } from "../inference/options.ts";
import { ChainProgress } from "./dedupe.ts";
import type { SampleMessage } from "./messages.ts";
import { Queue } from "./queue.ts";
import { threadPool } from "./workers/pool.ts";
import { faultFires, type CheckpointItem, type Fault, received, unpackBatch, type WorkerReport } from "./workers/protocol.ts";
import type { JobControl, ThreadLimits } from "./workers/thread.ts";

/** A chain to run: afresh, or from a checkpoint. */
export interface ChainStart {
  /** 1-based. */
  readonly chain: number;
  readonly resume?: ChainCheckpoint;
}

/** What the supervisor needs; all of it plain data except the signal. */
export interface SuperviseSpec {
  readonly plain: PlainDensity;
  readonly opts: ResolvedSampleOptions;
  readonly run: string;
  readonly chains: readonly ChainStart[];
  /** Worker threads to use (at most one per chain). */
  readonly threads: number;
  readonly checkpointEvery: number;
  /** Restarts allowed per chain before the run fails. */
  readonly maxRetries: number;
  /** Messages a worker may post ahead of the consumer before it pauses. */
  readonly highWaterMark: number;
  /** When aborted, every running chain checkpoints where it is and stops. */
  readonly signal?: AbortSignal;
  /** Faults to inject (tests only). */
  readonly faults?: readonly Fault[];
  /** The resources each worker may use (Node threads only): one that exceeds them dies, and its chain restarts. */
  readonly resourceLimits?: ThreadLimits;
  /** Give the kept draws their Stan CSV rows, formatted in the workers (see `RunOptions.csvRows`). */
  readonly csvRows?: boolean;
}

/** How a supervised run ended (a failure has already been reported as an `error` message). */
export type RunOutcome = "done" | "stopped" | "failed";

/** What a run of the supervisor did, for tests and benchmarks. */
export interface SupervisorStats {
  /** The longest the queue of undelivered messages grew. */
  maxQueued: number;
  /** Chains restarted after their thread died. */
  restarts: number;
  /** Messages dropped because a restarted chain had already delivered them. */
  duplicatesDropped: number;
  /** Per restart: the chain and the iteration of the checkpoint it restarted from (0: from the start). */
  resumedFrom: { chain: number; iter: number }[];
}

/** An item of a run: a message, or a checkpoint placed after the messages it covers. */
export type RunItem = SampleMessage | CheckpointItem;

/** A chain's bookkeeping over its attempts: what it delivered, and attempts started (1 after its first start). */
interface ChainState {
  readonly progress: ChainProgress;
  attempts: number;
}

/** A thread of the pool (a Node thread, or in the browser build a Web Worker). */
type PoolThread = ReturnType<typeof threadPool.take>;

/** One attempt of a chain on a thread. */
interface Attempt {
  readonly state: ChainState;
  readonly thread: PoolThread;
  /** Steers the attempt's job (set once it started). */
  control?: JobControl;
  readonly attempt: number;
  /** Messages of this attempt delivered or dropped (credited to its worker). */
  consumed: number;
  /** Messages of this attempt in the queue, not yet delivered. */
  queued: number;
}

/**
 * Wake a paused worker every this many consumed messages, and when none of
 * its messages are left to deliver (a wake per message would cost more than
 * it saves; a Web Worker hears of credit only through these wakes).
 */
const NOTIFY_EVERY = 64;

/**
 * Runs the chains on worker threads and yields their messages and
 * checkpoints as they arrive, in batches of whatever arrived meanwhile: per
 * chain in iteration order, chains interleaved. Returns how the run ended;
 * on failure the last item yielded is an `error` message naming the chain.
 */
export async function* supervise(spec: SuperviseSpec, stats?: SupervisorStats): AsyncGenerator<RunItem[], RunOutcome> {
  const { run, opts } = spec;
  const pending: ChainState[] = spec.chains.map((c) => ({ progress: new ChainProgress(c.chain, c.resume, opts), attempts: 0 }));
  const running = new Set<Attempt>();
  // Each item remembers its attempt, to credit that worker when the item is consumed (none for the run's own error).
  const queue = new Queue<{ item: RunItem; attempt?: Attempt }>();
  let outcome: RunOutcome | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;
  let waking = false;
  /**
   * Resumes the consumer in a macrotask, not right away. Node hands a port up
   * to 1000 messages in one go, running microtasks after each: a consumer
   * resumed from there would keep the thread inside that loop for as long as
   * workers keep posting, and timers and signal handlers (Ctrl-C) would wait.
   */
  const notify = () => {
    if (wake === undefined || waking) return;
    waking = true;
    void nextTurn().then(() => {
      waking = false;
      const w = wake;
      wake = undefined;
      w?.();
    });
  };
  const parentFaults = (spec.faults ?? []).filter((f) => f.how === "terminate");

  /** Ends the run with an error naming the chain; every other thread is stopped. */
  const fail = (a: Attempt | undefined, message: string) => {
    if (outcome !== undefined) return;
    outcome = "failed";
    queue.push({ item: { type: "error", run, chain: a?.state.progress.chain, message } });
    for (const r of running) {
      r.thread.detach();
      r.thread.terminate();
    }
    running.clear();
    pending.length = 0;
    notify();
  };

  /** Tells an attempt's worker that n more of its items were consumed, waking it now and then. */
  const credit = (a: Attempt | undefined, n: number) => {
    if (a === undefined) return;
    a.consumed += n;
    // An attempt that ended needs no more credit (its items may still be queued).
    if (running.has(a)) a.control?.credit(a.consumed, a.consumed % NOTIFY_EVERY < n || a.queued === 0);
  };

  /** Takes a message from a thread: drops what a restarted chain already delivered. */
  const receive = (a: Attempt, item: RunItem) => {
    const s = a.state.progress;
    if (item.type === "draw" && parentFaults.some((f) => faultFires(f, s.chain, a.attempt, item.iter, item.values))) {
      // Killed right here: what the thread posted after this draw is lost, as in a real death.
      a.thread.detach();
      a.thread.terminate();
      lost(a, "it was terminated (an injected fault)");
      return;
    }
    switch (s.accept(item)) {
      case "new":
        a.queued++;
        queue.push({ item, attempt: a });
        if (stats) stats.maxQueued = Math.max(stats.maxQueued, queue.length);
        break;
      case "repeat":
        if (stats) stats.duplicatesDropped++;
        credit(a, 1);
        break;
      case "ahead":
        // A thread's messages arrive whole and in order: a gap is a bug, and a run with a gap is wrong.
        fail(a, `chain ${s.chain}: a ${item.type} came before messages it follows (iteration ${s.lastIter} was the last delivered)`);
    }
  };

  /** An attempt ended normally (done or stopped): its thread goes back to the pool. */
  const finish = (a: Attempt) => {
    running.delete(a);
    threadPool.give(a.thread);
    schedule();
  };

  /** An attempt's thread died before the chain ended: restart the chain from its last checkpoint, or give up. */
  const lost = (a: Attempt, reason: string) => {
    if (!running.delete(a)) return;
    const s = a.state;
    const { chain, checkpoint } = s.progress;
    if (stopping) {
      // No restart while stopping: its last checkpoint stands for a later resume.
      schedule();
    } else if (s.attempts > spec.maxRetries) {
      fail(a, `chain ${chain}: its worker died ${s.attempts} times, the last time because ${reason}; giving up`);
    } else {
      if (stats) {
        stats.restarts++;
        stats.resumedFrom.push({ chain, iter: checkpoint?.iter ?? 0 });
      }
      pending.unshift(s);
      schedule();
    }
    notify();
  };

  /** Starts a chain's next attempt on a thread, from its last checkpoint. */
  const start = (s: ChainState) => {
    const thread = threadPool.take(spec.resourceLimits);
    const a: Attempt = { state: s, thread, attempt: s.attempts++, consumed: 0, queued: 0 };
    const { chain, checkpoint } = s.progress;
    running.add(a);
    a.control = thread.run(
      {
        type: "job",
        plain: spec.plain,
        opts,
        run,
        chain,
        resume: checkpoint,
        checkpointEvery: spec.checkpointEvery,
        highWaterMark: spec.highWaterMark,
        attempt: a.attempt,
        faults: (spec.faults ?? []).filter((f) => f.chain === chain),
        csvRows: spec.csvRows === true,
      },
      {
        report: (r: WorkerReport) => {
          if (!running.has(a)) return;
          if (r.type === "batch") {
            // An item can end the attempt (a fault): the rest of its batch is then lost with it.
            for (const item of unpackBatch(received(r), run, chain)) if (running.has(a)) receive(a, item);
          } else if (r.type === "failed") fail(a, r.message);
          else if (r.type === "end") finish(a);
          notify();
        },
        died: (reason) => lost(a, reason),
      },
    );
  };

  /** Starts pending chains on free threads; decides the outcome once nothing runs or waits. */
  const schedule = () => {
    while (outcome === undefined && !stopping && running.size < spec.threads && pending.length > 0) start(pending.shift()!);
    if (outcome === undefined && running.size === 0 && (pending.length === 0 || stopping)) outcome = stopping ? "stopped" : "done";
  };

  /** Asks every running chain to checkpoint and stop; starts nothing more. */
  const onAbort = () => {
    stopping = true;
    pending.length = 0;
    for (const a of running) a.control?.stop();
    schedule();
    notify();
  };

  spec.signal?.addEventListener("abort", onAbort);
  try {
    if (spec.signal?.aborted) onAbort();
    else schedule();
    for (;;) {
      if (queue.length > 0) {
        const taken: { item: RunItem; attempt?: Attempt }[] = [];
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) taken.push(next);
        yield taken.map((t) => t.item);
        // Consumed: the consumer came back for more.
        for (const { attempt } of taken) {
          if (attempt !== undefined) attempt.queued--;
          credit(attempt, 1);
        }
        continue;
      }
      if (outcome !== undefined) return outcome;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    spec.signal?.removeEventListener("abort", onAbort);
    // A consumer that stops reading abandons the run: its threads are ended, not reused mid-chain.
    for (const a of running) {
      a.thread.detach();
      a.thread.terminate();
    }
  }
}
