/**
 * `sampleStream`: a run as a stream of draw messages. Chains run in worker
 * threads (by default as many as there are cores, up to one per chain) or
 * in this thread; either way each chain's draws depend only on the seed and
 * its number, so both give the same draws, bit for bit.
 * @module
 */
import { randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import { compile } from "../compile.ts";
import type { Model, Outputs } from "../dsl/model.ts";
import type { ChainCheckpoint } from "../inference/chain.ts";
import { checkCount, resolveOptions, type SampleOptions } from "../inference/options.ts";
import { chooseCentering } from "../inference/reparam/choose.ts";
import { reparameterize } from "../inference/reparam/wrap.ts";
import { dataHash, modelHash } from "./hash.ts";
import { runInProcess } from "./inProcess.ts";
import { PROTOCOL_VERSION, type SampleMessage } from "./messages.ts";
import { type ChainStart, type RunItem, type RunOutcome, supervise, type SupervisorStats } from "./supervisor.ts";
import { threadPool } from "./workers/pool.ts";
import type { Fault } from "./workers/protocol.ts";

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

/** Options of {@link sampleStream}: the sampling options, and how the run is executed. */
export interface StreamOptions extends SampleOptions {
  /**
   * Worker threads running chains: default min(chains, cores). 0 or 1 run
   * the chains one after another in this thread. The draws do not depend on it.
   */
  readonly workers?: number;
  /** Each chain checkpoints its exact state every this many iterations (100). */
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
  /** Messages a worker may have in flight before it waits for the consumer (1024): bounds memory for slow consumers. */
  readonly highWaterMark?: number;
  /**
   * The centering λ per reparameterized site, as a `start` message reports it:
   * used instead of choosing one in a pilot run (a resumed run must reuse its own).
   */
  readonly centering?: Readonly<Record<string, readonly number[]>>;
  /** Continue an interrupted run instead of starting one. */
  readonly resume?: ResumeFrom;
  /** Faults to inject into workers (for tests of supervision). */
  readonly faults?: readonly Fault[];
  /** Filled in with what the supervisor did (for tests and benchmarks). */
  readonly stats?: SupervisorStats;
}

/** The message ending a run stopped through its signal. */
export const STOPPED_MESSAGE = "stopped: the run was interrupted; its chains saved checkpoints to resume from";

/** Worker threads for a run of `chains` chains; 0 means in this thread. */
function threadCount(workers: number | undefined, chains: number): number {
  const n = workers ?? Math.min(chains, availableParallelism());
  checkCount("workers", n, 0);
  return n <= 1 ? 0 : Math.min(n, chains);
}

/**
 * Samples a model's posterior with NUTS, as a stream of messages: `start`,
 * then per chain its `draw`s (warm-up flagged, in iteration order), `adapted`
 * and `chainDone`, chains interleaved when they run in parallel, and `done`
 * last (or `error`).
 *
 * @example
 * ```ts
 * for await (const msg of sampleStream(eightSchools, data, { chains: 4, seed: 1 })) {
 *   if (msg.type === "draw") console.log(msg.chain, msg.iter, msg.values);
 * }
 * ```
 * @throws Error before `start` when `resume` is given and the model or data changed.
 */
export async function* sampleStream<D, O extends Outputs>(mdl: Model<D, O>, data: D, opts: StreamOptions = {}): AsyncGenerator<SampleMessage> {
  const resolved = resolveOptions(opts);
  const threads = threadCount(opts.workers, resolved.chains);
  const checkpointEvery = opts.checkpointEvery ?? 100;
  const maxRetries = opts.maxRetries ?? 3;
  const highWaterMark = opts.highWaterMark ?? 1024;
  checkCount("checkpointEvery", checkpointEvery, 1);
  checkCount("maxRetries", maxRetries, 0);
  checkCount("highWaterMark", highWaterMark, 1);
  // Threads take a while to start: let them do so while the pilot and the compiler run here.
  threadPool.prestart(threads);
  const chosen = opts.centering === undefined && resolved.reparam && resolved.init === undefined ? chooseCentering(mdl, data, resolved) : undefined;
  const plan =
    chosen?.plan ?? new Map(Object.entries(opts.centering ?? {}).map(([name, lambda]) => [name, Float64Array.from(lambda)]));
  const density = chosen?.density ?? compile(plan.size > 0 ? reparameterize(mdl, plan) : mdl, data);
  const plain = density.toPlain();
  const hashes = { modelHash: modelHash(plain), dataHash: dataHash(plain) };
  const resume = opts.resume;
  if (resume !== undefined) {
    for (const key of ["modelHash", "dataHash"] as const) {
      if (hashes[key] !== resume[key]) {
        const what = key === "modelHash" ? "model" : "data";
        throw new Error(`cannot resume: the ${what} changed since the run started (${what} hash ${hashes[key].slice(0, 12)}…, the run's ${resume[key].slice(0, 12)}…)`);
      }
    }
  }
  const run = resume?.run ?? randomUUID();
  const { init: _init, ...settings } = resolved;
  yield {
    type: "start", version: PROTOCOL_VERSION, run, valueLayout: density.valueLayout, layout: density.layout, settings, ...hashes,
    centering: Object.fromEntries([...plan].map(([name, lambda]) => [name, Array.from(lambda)])),
  };

  const chains: ChainStart[] = [];
  for (let k = 1; k <= resolved.chains; k++) {
    const from = resume?.chains.get(k);
    if (from !== "done") chains.push({ chain: k, resume: from });
  }
  const items: AsyncGenerator<RunItem, RunOutcome> =
    threads === 0
      ? runInProcess({ density, opts: resolved, run, chains, checkpointEvery, signal: opts.signal })
      : supervise(
          {
            plain, opts: resolved, run, chains, threads, checkpointEvery, signal: opts.signal, faults: opts.faults,
            maxRetries, highWaterMark,
          },
          opts.stats,
        );
  try {
    for (;;) {
      const r = await items.next();
      if (r.done === true) {
        if (r.value === "done") yield { type: "done", run };
        else if (r.value === "stopped") yield { type: "error", run, message: STOPPED_MESSAGE };
        return;
      }
      const item = r.value;
      if (item.type === "checkpoint") opts.onCheckpoint?.(item.chain, item.checkpoint);
      else yield item;
    }
  } finally {
    await items.return(undefined as never);
  }
}
