/**
 * The coordinator's side of a cluster run: publishes one job per chain,
 * takes in the run's frames from its durable consumer and yields, per chain
 * and in order, every item exactly once — the same items the supervisor
 * yields for a local run, so everything downstream (the run directory,
 * progress, the dashboard, the Fit) works unchanged.
 *
 * A restarted coordinator (`--resume`) replays the run's stream from its
 * start, keeps what its run directory lacks, and sends jobs again only for
 * chains that neither finished in the stream nor still wait in the queue.
 * @module
 */
import { jetstream, type JetStreamManager, jetstreamManager, type JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { WireDensity } from "../../codegen/wire.ts";
import type { ResolvedSampleOptions } from "../../inference/options.ts";
import { ChainProgress } from "../dedupe.ts";
import type { ChainStart, RunItem, RunOutcome } from "../supervisor.ts";
import { unpackBatch } from "../workers/protocol.ts";
import { type ClusterConnection, connectCluster } from "./connection.ts";
import { decodeFrame } from "./frames.ts";
import { encodeJob, type JobMessage } from "./job.ts";
import {
  checkpointKey,
  COORDINATOR_CONSUMER,
  JOBS_STREAM,
  jobSubject,
  runJobs,
  runStream,
  stopSubject,
  WORKERS_CONSUMER,
} from "./names.ts";
import {
  checkpointBucket,
  DEFAULT_LIMITS,
  ensureJobQueue,
  ensureRunStream,
  freshCoordinatorConsumer,
  isNotFound,
  type StreamLimits,
} from "./streams.ts";

/** Options of a run on workers over NATS: where the server is, who we are, the limits, what to keep. */
export interface ClusterOptions extends ClusterConnection, Partial<StreamLimits> {
  /** Keep the run's stream, checkpoints and jobs after it ends, for inspection (false: deleted). */
  readonly keep?: boolean;
}

/** What a coordinator needs: all of it data, except the signal. */
export interface ClusterRunSpec {
  readonly cluster: ClusterOptions;
  readonly density: WireDensity;
  readonly modelHash: string;
  readonly dataHash: string;
  readonly opts: ResolvedSampleOptions;
  readonly run: string;
  readonly chains: readonly ChainStart[];
  readonly checkpointEvery: number;
  /** Whether the run continues an interrupted one (replay its stream before sending jobs). */
  readonly resuming: boolean;
  /** When aborted, the run's workers checkpoint and stop, and its stream stays for a resume. */
  readonly signal?: AbortSignal;
}

/** The advisory JetStream sends when a job was delivered its last allowed time. */
const MAX_DELIVERIES = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${JOBS_STREAM}.${WORKERS_CONSUMER}`;

/**
 * Runs the chains of `spec` on the cluster's workers; yields their messages
 * and checkpoints as they arrive (see `supervise`). Returns how the run
 * ended; on failure the last item yielded is an `error` message.
 */
export async function* runOnCluster(spec: ClusterRunSpec): AsyncGenerator<RunItem, RunOutcome> {
  const { run, cluster } = spec;
  const limits: StreamLimits = { ...DEFAULT_LIMITS, ...definedOnly(cluster) };
  const nc = await connectCluster({ ...cluster, name: cluster.name ?? `sampo coordinator of run ${run}` });
  let outcome: RunOutcome | undefined;
  let jsm: JetStreamManager | undefined;
  try {
    jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    await ensureJobQueue(jsm, limits);
    await ensureRunStream(jsm, run, limits);
    await checkpointBucket(nc, limits);
    await freshCoordinatorConsumer(jsm, run);
    const progress = new Map(spec.chains.map((c) => [c.chain, new ChainProgress(c.chain, c.resume, spec.opts.warmup)]));
    const jobSeqs = new Map<number, number>();
    let failure: string | undefined;

    /** Publishes the jobs of the chains that are neither finished nor queued. */
    const sendJobs = async () => {
      for (const p of progress.values()) {
        if (p.done) continue;
        const queued = spec.resuming ? await jsm!.streams.getMessage(JOBS_STREAM, { last_by_subj: jobSubject(run, p.chain) }) : null;
        if (queued !== null) {
          jobSeqs.set(queued.seq, p.chain);
          continue;
        }
        const job: JobMessage = {
          format: "sampo.job/1",
          run,
          chain: p.chain,
          density: spec.density,
          modelHash: spec.modelHash,
          dataHash: spec.dataHash,
          opts: spec.opts,
          checkpointEvery: spec.checkpointEvery,
          ...(p.checkpoint !== undefined && { resume: p.checkpoint }),
        };
        const bytes = encodeJob(job);
        const max = nc.info?.max_payload ?? Infinity;
        if (bytes.length > max) {
          throw new Error(
            `the job of chain ${p.chain} is ${bytes.length} bytes (the model's IR and data), more than the server's max_payload of ${max}; raise max_payload in the nats-server configuration`,
          );
        }
        const ack = await js.publish(jobSubject(run, p.chain), bytes, { msgID: `${run}.${p.chain}.${Date.now()}` });
        jobSeqs.set(ack.seq, p.chain);
      }
    };

    // A job that keeps killing its workers (or timing out) is given up by JetStream: so is the run.
    const advisories = nc.subscribe(MAX_DELIVERIES, {
      callback: (_err, msg) => {
        const seq = (msg.json() as { stream_seq?: number }).stream_seq;
        const chain = seq === undefined ? undefined : jobSeqs.get(seq);
        if (chain === undefined || failure !== undefined) return;
        failure = `chain ${chain}: its job was delivered ${limits.maxDeliver} times without finishing (its workers died or stopped answering); giving up`;
        void messages.close();
      },
    });
    const consumer = await js.consumers.get(runStream(run), COORDINATOR_CONSUMER);
    const messages = await consumer.consume({ max_messages: 256 });
    const onAbort = () => void messages.close();
    spec.signal?.addEventListener("abort", onAbort);
    try {
      // A resumed run sends its jobs once the stream has been replayed up to where it was.
      const replayTo = spec.resuming ? (await jsm.streams.info(runStream(run))).state.last_seq : 0;
      let jobsSent = false;
      if (replayTo === 0) {
        await sendJobs();
        jobsSent = true;
      }
      if (spec.signal?.aborted) onAbort();
      for await (const m of messages) {
        for (const item of itemsOf(m, run)) {
          if (item.type === "error") {
            yield item;
            outcome = "failed";
            break;
          }
          const p = "chain" in item ? progress.get(item.chain) : undefined;
          if (p?.accept(item) === true) yield item;
        }
        m.ack();
        if (outcome !== undefined) break;
        if (!jobsSent && m.seq >= replayTo) {
          await sendJobs();
          jobsSent = true;
        }
        if ([...progress.values()].every((p) => p.done)) {
          outcome = "done";
          break;
        }
      }
      if (outcome === undefined && failure !== undefined) {
        yield { type: "error", run, message: failure };
        outcome = "failed";
      }
      outcome ??= "stopped";
    } finally {
      spec.signal?.removeEventListener("abort", onAbort);
      advisories.unsubscribe();
      await messages.close();
    }
    if (outcome === "stopped") await stopRun(nc, jsm, run);
    else if (cluster.keep !== true) await cleanUp(nc, jsm, run, spec.opts.chains);
    return outcome;
  } finally {
    // A consumer that stops reading (outcome undefined) leaves the run as a stop does: resumable.
    if (outcome === undefined && jsm !== undefined) await stopRun(nc, jsm, run).catch(() => undefined);
    await nc.drain().catch(() => undefined);
  }
}

/** The fields of `x` that are not undefined (so that they do not override defaults). */
function definedOnly<T extends object>(x: T): Partial<T> {
  return Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The items of a frame, its chain read from its subject; a frame that cannot be read fails the run, naming it. */
function itemsOf(m: JsMsg, run: string): ReturnType<typeof unpackBatch> {
  const chain = Number(m.subject.slice(m.subject.lastIndexOf(".") + 1));
  try {
    return unpackBatch(decodeFrame(m.data), run, chain);
  } catch (e) {
    return [{ type: "error", run, chain, message: `an unreadable frame (stream sequence ${m.seq}): ${(e as Error).message}` }];
  }
}

/** Asks the run's workers to checkpoint and stop, and takes its queued jobs back: a resume sends them again. */
async function stopRun(nc: NatsConnection, jsm: JetStreamManager, run: string): Promise<void> {
  nc.publish(stopSubject(run));
  await jsm.streams.purge(JOBS_STREAM, { filter: runJobs(run) });
  await nc.flush();
}

/** Deletes what the run left on the server: its stream, its queued jobs, its checkpoints. */
async function cleanUp(nc: NatsConnection, jsm: JetStreamManager, run: string, chains: number): Promise<void> {
  await jsm.streams.purge(JOBS_STREAM, { filter: runJobs(run) });
  await jsm.streams.delete(runStream(run)).catch((e: unknown) => {
    if (!isNotFound(e)) throw e;
  });
  const kv = await checkpointBucket(nc);
  for (let chain = 1; chain <= chains; chain++) await kv.purge(checkpointKey(run, chain));
}
