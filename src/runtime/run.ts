/**
 * Driving a run: given a compiled density and its start message, runs the
 * chains in worker threads (by default as many as there are cores, up to one
 * per chain) or in this thread, and yields the run's messages. Either way
 * each chain's draws depend only on the seed and its number, so both give
 * the same draws, bit for bit. Nothing here knows the model: preparing one
 * (the pilot, compiling, hashes) is `fit/sampleStream.ts`.
 * @module
 */
import type { CompiledDensity } from "../codegen/density.ts";
import type { ChainCheckpoint } from "../inference/chain.ts";
import { checkCount, type ResolvedSampleOptions } from "../inference/options.ts";
import type { WireDensity } from "../codegen/wire.ts";
import type { ClusterOptions } from "./cluster/coordinator.ts";
import { cores } from "./cores.ts";
import { runInProcess } from "./inProcess.ts";
import type { SampleMessage, StartMessage } from "./messages.ts";
import { type ChainStart, type RunItem, type RunOutcome, supervise, type SupervisorStats } from "./supervisor.ts";
import { threadPool } from "./workers/pool.ts";
import type { Fault } from "./workers/protocol.ts";
import type { ThreadLimits } from "./workers/thread.ts";

/** Where an interrupted run stands, to continue it (see `sampo sample --resume`). */
export interface ResumeFrom {
  /** The run's id: the continued run keeps it. */
  readonly run: string;
  /** The hashes the run started with: a changed model or data cannot continue it. */
  readonly modelHash: string;
  readonly dataHash: string;
  /** Per chain (1-based): its last checkpoint, or "done"; a chain not listed starts afresh. */
  readonly chains: ReadonlyMap<number, ChainCheckpoint | "done">;
}

/** How a run is executed: threads, checkpoints, stopping, supervision. */
export interface RunOptions {
  /**
   * Worker threads running chains (Web Workers in a page): default
   * min(chains, cores). 0 or 1 run the chains one after another in this
   * thread. The draws do not depend on it.
   */
  readonly workers?: number;
  /**
   * Each chain checkpoints its exact state every this many iterations (100):
   * on worker threads always (a chain whose thread dies restarts from it), in
   * this thread only when `onCheckpoint` reads them.
   */
  readonly checkpointEvery?: number;
  /**
   * Receives each checkpoint, called once every message of that chain up to
   * its iteration has been taken from the stream (so a sink that handles a
   * message before taking the next has stored them all).
   */
  readonly onCheckpoint?: (chain: number, checkpoint: ChainCheckpoint) => void;
  /** Aborting stops the run cleanly: running chains checkpoint where they are and the stream ends with an `error` saying it stopped. */
  readonly signal?: AbortSignal;
  /** Restarts of a chain whose worker died before the run fails (3). */
  readonly maxRetries?: number;
  /**
   * The resources each worker thread may use (Node's `resourceLimits`):
   * a thread that exceeds its heap limit dies, and its chain is restarted
   * from its last checkpoint (counted against `maxRetries`), with the same
   * draws. Ignored in-process and by Web Workers.
   */
  readonly resourceLimits?: ThreadLimits;
  /** Messages a worker may have in flight before it waits for the consumer (1024): bounds memory for slow consumers. */
  readonly highWaterMark?: number;
  /**
   * Give each draw a run directory keeps its Stan CSV row (`csvRow`),
   * formatted where its chain runs: a consumer writing chain files (`sampo
   * sample --out`) then formats nothing itself, and chains on several
   * threads format their rows in parallel. Not on a cluster run: there the
   * writer formats them.
   */
  readonly csvRows?: boolean;
  /** Faults to inject into workers (for tests of supervision). */
  readonly faults?: readonly Fault[];
  /** Filled in with what the supervisor did (for tests and benchmarks). */
  readonly stats?: SupervisorStats;
  /**
   * Run the chains on `sampo worker` processes over NATS JetStream instead of
   * here: the draws are the same, bit for bit (`workers` is then ignored).
   */
  readonly cluster?: ClusterOptions;
}

/** The message ending a run stopped through its signal. */
export const STOPPED_MESSAGE = "stopped: the run was interrupted; its chains saved checkpoints to resume from";

/** The execution settings of a run, checked, with their defaults. */
export interface ResolvedRunOptions extends RunOptions {
  /** Worker threads; 0 means in this thread. */
  readonly threads: number;
  readonly checkpointEvery: number;
  readonly maxRetries: number;
  readonly highWaterMark: number;
}

/** Fills in the defaults of `opts` for a run of `chains` chains and checks them. */
export function resolveRunOptions(opts: RunOptions, chains: number): ResolvedRunOptions {
  const workers = opts.workers ?? Math.min(chains, cores());
  checkCount("workers", workers, 0);
  const r = {
    ...opts,
    threads: workers <= 1 || opts.cluster !== undefined ? 0 : Math.min(workers, chains),
    checkpointEvery: opts.checkpointEvery ?? 100,
    maxRetries: opts.maxRetries ?? 3,
    highWaterMark: opts.highWaterMark ?? 1024,
  };
  checkCount("checkpointEvery", r.checkpointEvery, 1);
  checkCount("maxRetries", r.maxRetries, 0);
  checkCount("highWaterMark", r.highWaterMark, 1);
  return r;
}

/**
 * Runs the chains of `start`'s run on `density`: yields, in batches,
 * `start`, then per chain its `draw`s (warm-up flagged, in iteration order),
 * `adapted` and `chainDone`, chains interleaved when they run in parallel,
 * and `done` last (or `error`). Batches, not messages one by one: each hop
 * of an async generator costs about a microsecond cold, as much as a small
 * model's gradient. A checkpoint goes to `exec.onCheckpoint` once the batch
 * before it was taken. Chains that `resume` lists as done are skipped; those with a
 * checkpoint continue from it. A cluster run (`exec.cluster`) ships the
 * density as `wire`, its IR as data, never as code.
 */
export async function* runChains(
  density: CompiledDensity,
  start: StartMessage,
  opts: ResolvedSampleOptions,
  exec: ResolvedRunOptions,
  resume?: ResumeFrom,
  wire?: WireDensity,
): AsyncGenerator<readonly SampleMessage[]> {
  const { run } = start;
  yield [start];
  const chains: ChainStart[] = [];
  for (let k = 1; k <= opts.chains; k++) {
    const from = resume?.chains.get(k);
    if (from !== "done") chains.push({ chain: k, resume: from });
  }
  const { threads, checkpointEvery, signal } = exec;
  if (exec.cluster !== undefined && wire === undefined) throw new Error("a cluster run needs the density's wire form");
  const items: AsyncGenerator<RunItem[], RunOutcome> =
    exec.cluster !== undefined
      ? // The NATS client is loaded for cluster runs only (about 30 ms to import).
        (await import("./cluster/coordinator.ts")).runOnCluster(
          {
            cluster: exec.cluster,
            density: wire!,
            modelHash: start.modelHash,
            dataHash: start.dataHash,
            opts,
            run,
            chains,
            checkpointEvery,
            resuming: resume !== undefined,
            signal,
          },
          exec.stats,
        )
      : threads === 0
        ? // In this thread a checkpoint serves only its reader (a run directory): nothing else restarts the chain.
          runInProcess({
            density,
            opts,
            run,
            chains,
            checkpointEvery: exec.onCheckpoint === undefined ? undefined : checkpointEvery,
            signal,
            csvRows: exec.csvRows,
          })
        : supervise(
            {
              plain: density.toPlain(),
              opts,
              run,
              chains,
              threads,
              checkpointEvery,
              signal,
              faults: exec.faults,
              maxRetries: exec.maxRetries,
              highWaterMark: exec.highWaterMark,
              resourceLimits: exec.resourceLimits,
              csvRows: exec.csvRows,
            },
            exec.stats,
          );
  try {
    for (;;) {
      const r = await items.next();
      if (r.done === true) {
        if (r.value === "done") yield [{ type: "done", run }];
        else if (r.value === "stopped") yield [{ type: "error", run, message: STOPPED_MESSAGE }];
        return;
      }
      let out: SampleMessage[] = [];
      for (const item of r.value) {
        if (item.type !== "checkpoint") out.push(item);
        else if (exec.onCheckpoint !== undefined) {
          if (out.length > 0) yield out;
          out = [];
          exec.onCheckpoint(item.chain, item.checkpoint);
        }
      }
      if (out.length > 0) yield out;
    }
  } finally {
    await items.return(undefined as never);
  }
}

/** Starts `threads` worker threads (with these limits) ahead of a run, while the caller prepares it. */
export function prestartThreads(threads: number, limits?: ThreadLimits): void {
  threadPool.prestart(threads, limits);
}
