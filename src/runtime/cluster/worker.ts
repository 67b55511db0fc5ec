/**
 * `sampo worker --nats URL`: a long-lived process that takes chain jobs from
 * the job queue and runs each on a thread with the same chain code as a
 * local run, publishing the chain's messages as frames and its checkpoints
 * to the checkpoint bucket.
 *
 * A job stays this worker's while it keeps telling JetStream it is working
 * on it; a worker that dies stops doing so, and the job goes to another
 * worker, which resumes the chain from its last stored checkpoint. The
 * order of the writes is what makes that safe: a checkpoint is stored only
 * after every frame before it, so a resumed chain re-runs only iterations
 * whose messages may already be in the stream, which the coordinator drops.
 * @module
 */
import { hostname } from "node:os";
import { type Consumer, jetstream, type JetStreamClient, type JsMsg } from "@nats-io/jetstream";
import type { KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import type { ChainCheckpoint } from "../../inference/chain.ts";
import { losslessParse, losslessStringify } from "../../losslessJson.ts";
import { type RunOutcome, supervise } from "../supervisor.ts";
import { type ClusterConnection, connectCluster } from "./connection.ts";
import { stopReason } from "./epoch.ts";
import { decodeJob, type Job, JobError } from "./job.ts";
import { checkpointKey, drawSubject, isRunToken, JOBS_STREAM, stopSubject, WORKERS_CONSUMER } from "./names.ts";
import { FramePublisher } from "./publisher.ts";
import { checkpointBucket, isNotFound } from "./streams.ts";

/** Options of {@link runWorker}. */
export interface WorkerOptions extends ClusterConnection {
  /** Chains run at once, each on its own thread (1). */
  readonly concurrency?: number;
  /** Jobs larger than this many bytes are rejected (64 MiB). */
  readonly maxJobBytes?: number;
  /** Receives a line for each thing the worker does (a job taken, finished, rejected). */
  readonly log?: (line: string) => void;
  /** Aborting stops the worker: running chains checkpoint, and their jobs go back to the queue at once. */
  readonly signal?: AbortSignal;
}

/** A running job tells JetStream it is still being worked on this often (ms); acknowledgement waits are at least twice that. */
const HEARTBEAT_MS = 500;
/** How long a request for the next job waits before asking again (ms). */
const NEXT_WAIT_MS = 2000;
/** How long to wait before asking again after a failure (ms). */
const RETRY_MS = 1000;
/** A rejected job's error is sent to its run for at most this long (the run may not exist). */
const REPORT_MS = 5000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a worker until `signal` is aborted (or forever): connects, waits for
 * the job queue to exist, and runs up to `concurrency` chain jobs at a time.
 */
export async function runWorker(opts: WorkerOptions): Promise<void> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const signal = opts.signal ?? new AbortController().signal;
  const concurrency = opts.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  const nc = await connectCluster({ ...opts, name: opts.name ?? `sampo worker on ${hostname()}` });
  const js = jetstream(nc);
  const ctx: WorkerContext = { nc, js, log, signal, maxJobBytes: opts.maxJobBytes ?? 64 * 2 ** 20 };
  const jobs = new Set<Promise<void>>();
  try {
    const consumer = await jobConsumer(js, ctx);
    log(`worker: taking jobs from ${JOBS_STREAM} (${concurrency} at a time)`);
    while (consumer !== undefined && !signal.aborted) {
      if (jobs.size >= concurrency) {
        await Promise.race(jobs);
        continue;
      }
      let m: JsMsg | null;
      try {
        m = await consumer.next({ expires: NEXT_WAIT_MS });
      } catch (e) {
        if (!signal.aborted) log(`worker: asking for a job failed (${(e as Error).message}); retrying`);
        await sleep(RETRY_MS);
        continue;
      }
      if (m === null) continue;
      const p = work(m, ctx).finally(() => jobs.delete(p));
      jobs.add(p);
    }
  } finally {
    await Promise.allSettled(jobs);
    await nc.drain();
  }
}

/** What every job of a worker shares. */
interface WorkerContext {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly log: (line: string) => void;
  readonly signal: AbortSignal;
  readonly maxJobBytes: number;
  kv?: KV;
}

/** The workers' consumer, once a coordinator has created it (undefined if stopped while waiting). */
async function jobConsumer(js: JetStreamClient, ctx: WorkerContext): Promise<Consumer | undefined> {
  let told = false;
  while (!ctx.signal.aborted) {
    try {
      return await js.consumers.get(JOBS_STREAM, WORKERS_CONSUMER);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      if (!told) ctx.log(`worker: no job queue yet; waiting for a coordinator to create ${JOBS_STREAM}`);
      told = true;
      await sleep(RETRY_MS);
    }
  }
  return undefined;
}

/** The stored checkpoint of a chain, if any. */
async function storedCheckpoint(kv: KV, key: string): Promise<ChainCheckpoint | undefined> {
  const e = await kv.get(key);
  return e === null || e.operation !== "PUT" ? undefined : (losslessParse(e.string()) as ChainCheckpoint);
}

/** Runs one job to its end and settles it with JetStream: done, back to the queue, or terminated. */
async function work(m: JsMsg, ctx: WorkerContext): Promise<void> {
  let job: Job;
  try {
    job = decodeJob(m.data, ctx.maxJobBytes);
  } catch (e) {
    const err = e instanceof JobError ? e : new JobError(String(e));
    ctx.log(`worker: rejected a job: ${err.message}`);
    // Rejected: ended, not given back (it would fail the same way on every worker). Acknowledged
    // rather than terminated: nats-server 2.9 keeps a terminated message in a work-queue stream.
    m.ack();
    // Its run and chain, from the job or else from its subject (sampo.jobs.<run>.<chain>): a job too large to read has only that.
    const [, , run, chain] = m.subject.split(".");
    const to = { run: err.run ?? run, chain: err.chain ?? Number(chain) };
    if (isRunToken(to.run) && Number.isInteger(to.chain) && to.chain >= 1) await reportRejection(ctx.js, to.run, to.chain, err.message);
    return;
  }
  const { run, chain, epoch } = job;
  const name = `run ${run} chain ${chain}${epoch === 0 ? "" : ` (epoch ${epoch})`}`;
  const stop = new AbortController();
  const onShutdown = () => stop.abort("shutdown");
  ctx.signal.addEventListener("abort", onShutdown);
  const stopSub = ctx.nc.subscribe(stopSubject(run), {
    callback: (_err, msg) => {
      const reason = stopReason(msg.string(), chain, epoch);
      if (reason !== undefined) stop.abort(reason);
    },
  });
  let heartbeat: NodeJS.Timeout | undefined;
  try {
    // Kept alive at a fixed pace, not one derived from the consumer's acknowledgement wait: that wait is
    // shared by every run and another coordinator may shorten it while this job runs.
    heartbeat = setInterval(() => m.working(), HEARTBEAT_MS);
    ctx.kv ??= await checkpointBucket(ctx.nc);
    const kv = ctx.kv;
    const key = checkpointKey(run, chain, epoch);
    const stored = await storedCheckpoint(kv, key);
    const resume = stored !== undefined && (job.resume === undefined || stored.iter > job.resume.iter) ? stored : job.resume;
    ctx.log(
      `worker: ${name}: ${resume === undefined ? "starting" : `resuming after iteration ${resume.iter}`} (delivery ${m.info.deliveryCount})`,
    );
    const valueSize = job.plain.valueLayout.reduce((a, e) => a + e.size, 0);
    // Publishing stops retrying once the job is stopped: its last frames may be lost then, and its checkpoint with them.
    const out = new FramePublisher(
      ctx.js,
      drawSubject(run, chain),
      `${run}.${chain}`,
      epoch,
      valueSize,
      AbortSignal.any([ctx.signal, stop.signal]),
    );
    const items = supervise({
      plain: job.plain,
      opts: job.opts,
      run,
      chains: [{ chain, resume }],
      threads: 1,
      checkpointEvery: job.checkpointEvery,
      maxRetries: 3,
      highWaterMark: 1024,
      signal: stop.signal,
    });
    let outcome: RunOutcome;
    try {
      for (;;) {
        const r = await items.next();
        if (r.done === true) {
          outcome = r.value;
          break;
        }
        for (const item of r.value) {
          out.add(item);
          if (item.type === "checkpoint") {
            // Stored after every frame before it: a chain resumed from it re-runs nothing that was lost.
            await out.flush();
            await kv.put(key, losslessStringify(item.checkpoint));
          }
        }
      }
    } finally {
      // On a failure to publish, the chain's thread is ended too.
      await items.return("failed");
    }
    await out.flush();
    // A job that ends here is acknowledged, whether its chain finished, failed (its run was told
    // why), was stopped by its coordinator (a resumed run sends it again) or was superseded by a
    // re-run of its chain: see `rejected` on terminating.
    if (outcome !== "stopped" || stop.signal.reason !== "shutdown") {
      await m.ackAck();
      const how = { done: "done", failed: "failed (its run was told why)", stopped: "stopped by its coordinator" } as const;
      ctx.log(`worker: ${name}: ${stop.signal.reason === "superseded" ? "superseded by a re-run of the chain" : how[outcome]}`);
    } else {
      m.nak();
      ctx.log(`worker: ${name}: checkpointed and given back (the worker is stopping)`);
    }
  } catch (e) {
    ctx.log(`worker: ${name}: ${(e as Error).message}; the job goes back to the queue`);
    m.nak(RETRY_MS);
  } finally {
    clearInterval(heartbeat);
    stopSub.unsubscribe();
    ctx.signal.removeEventListener("abort", onShutdown);
  }
}

/** Tells a rejected job's run why (it fails at once instead of waiting for a chain that never comes). */
async function reportRejection(js: JetStreamClient, run: string, chain: number, message: string): Promise<void> {
  const out = new FramePublisher(js, drawSubject(run, chain), `${run}.${chain}`, 0, 0, AbortSignal.timeout(REPORT_MS));
  out.add({ type: "error", run, chain, message: `a worker rejected the job: ${message}` });
  await out.flush().catch(() => undefined);
}
