/**
 * The coordinator's side of a cluster run: publishes one job per chain,
 * takes in the run's frames from its durable consumer and yields, per chain
 * and in order, every item exactly once — the same items the supervisor
 * yields for a local run, so everything downstream (the run directory,
 * progress, the dashboard, the Fit) works unchanged.
 *
 * A frame that is lost or cannot be read leaves a gap in its chain: the
 * chain's later messages are held back (see `dedupe.ts`), and the chain is
 * run again from its last checkpoint before the gap, as a job of its next
 * epoch (see `epoch.ts`), which fills the gap with the same draws.
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
import type { ChainStart, RunItem, RunOutcome, SupervisorStats } from "../supervisor.ts";
import { unpackBatch } from "../workers/protocol.ts";
import { type ClusterConnection, connectCluster } from "./connection.ts";
import { epochHeaders, epochOf, supersedeStop } from "./epoch.ts";
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

/** A chain as the coordinator follows it. */
interface ChainTrack {
  readonly progress: ChainProgress;
  /** The epoch of the job whose frames are read. */
  epoch: number;
  /** Times the chain was run again because frames of it were lost. */
  mends: number;
}

/**
 * Runs the chains of `spec` on the cluster's workers; yields their messages
 * and checkpoints as they arrive, a frame's at a time (see `supervise`). Returns how the run
 * ended; on failure the last item yielded is an `error` message. `stats`
 * counts the chains run again after a lost frame as restarts.
 */
export async function* runOnCluster(spec: ClusterRunSpec, stats?: SupervisorStats): AsyncGenerator<RunItem[], RunOutcome> {
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
    const tracks = new Map<number, ChainTrack>(
      spec.chains.map((c) => [c.chain, { progress: new ChainProgress(c.chain, c.resume, spec.opts), epoch: 0, mends: 0 }]),
    );
    const jobSeqs = new Map<number, number>();
    let failure: string | undefined;
    let jobsSent = false;

    /** Publishes chain `t`'s job at its epoch, from its last delivered checkpoint. */
    const publishJob = async (t: ChainTrack) => {
      const { chain, checkpoint } = t.progress;
      const job: JobMessage = {
        format: "sampo.job/1",
        run,
        chain,
        density: spec.density,
        modelHash: spec.modelHash,
        dataHash: spec.dataHash,
        opts: spec.opts,
        checkpointEvery: spec.checkpointEvery,
        ...(checkpoint !== undefined && { resume: checkpoint }),
        ...(t.epoch > 0 && { epoch: t.epoch }),
      };
      const bytes = encodeJob(job);
      const max = nc.info?.max_payload ?? Infinity;
      if (bytes.length > max) {
        throw new Error(
          `the job of chain ${chain} is ${bytes.length} bytes (the model's IR and data), more than the server's max_payload of ${max}; raise max_payload in the nats-server configuration`,
        );
      }
      const ack = await js.publish(jobSubject(run, chain), bytes, {
        msgID: `${run}.${chain}.${t.epoch}.${Date.now()}`,
        headers: epochHeaders(t.epoch),
      });
      jobSeqs.set(ack.seq, chain);
    };

    /** Publishes chain `t`'s job at a new epoch: its earlier jobs stop if running and are dropped if queued. */
    const supersede = async (t: ChainTrack) => {
      nc.publish(stopSubject(run), supersedeStop(t.progress.chain, t.epoch));
      await jsm!.streams.purge(JOBS_STREAM, { filter: jobSubject(run, t.progress.chain) });
      await publishJob(t);
    };

    /** Publishes the jobs of the chains that are neither finished nor queued at their epoch. */
    const sendJobs = async () => {
      for (const t of tracks.values()) {
        if (t.progress.done) continue;
        const queued = spec.resuming
          ? await jsm!.streams.getMessage(JOBS_STREAM, { last_by_subj: jobSubject(run, t.progress.chain) })
          : null;
        if (queued !== null && epochOf(queued.header) === t.epoch) jobSeqs.set(queued.seq, t.progress.chain);
        else if (t.epoch > 0 || queued !== null) await supersede(t);
        else await publishJob(t);
      }
      jobsSent = true;
    };

    /**
     * Chain `t` lost frames (`why`): runs it again from its last checkpoint at
     * its next epoch (at once, or with the other jobs once a replay is over),
     * or, past the delivery limit, returns the run's error.
     */
    const mend = async (t: ChainTrack, why: string): Promise<RunItem | undefined> => {
      const { chain, checkpoint } = t.progress;
      if (t.mends >= limits.maxDeliver)
        return {
          type: "error",
          run,
          chain,
          message: `chain ${chain}: ${why}; it was run again ${t.mends} times and frames were still lost; giving up`,
        };
      t.mends++;
      t.epoch++;
      process.emitWarning(
        `chain ${chain}: ${why}; running it again from iteration ${checkpoint?.iter ?? 0} (epoch ${t.epoch})`,
        "SampoClusterWarning",
      );
      if (stats) {
        stats.restarts++;
        stats.resumedFrom.push({ chain, iter: checkpoint?.iter ?? 0 });
      }
      if (jobsSent) await supersede(t);
      return undefined;
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
      if (replayTo === 0) await sendJobs();
      if (spec.signal?.aborted) onAbort();
      for await (const m of messages) {
        const chain = chainOf(m.subject);
        const t = tracks.get(chain);
        const epoch = epochOf(m.headers);
        // A superseded job's frames are passed over, all but its errors; a later epoch's is a re-run sent before a restart.
        const current = t !== undefined && (epoch === undefined || epoch >= t.epoch);
        if (current && epoch !== undefined) t.epoch = epoch;
        const items = itemsOf(m, run, chain);
        const out: RunItem[] = [];
        let lost = typeof items === "string" ? items : undefined;
        for (const item of typeof items === "string" ? [] : items) {
          if (item.type === "error") {
            out.push(item);
            outcome = "failed";
            break;
          }
          if (!current) continue;
          const arrival = t.progress.accept(item);
          if (arrival === "new") out.push(item);
          else if (arrival === "ahead") {
            const what = item.type === "draw" ? `the draw of iteration ${item.iter}` : `its ${item.type}`;
            lost = `frames were lost: ${what} came after iteration ${t.progress.lastIter} (stream sequence ${m.seq})`;
            break;
          }
        }
        // A finished chain lacks nothing: whatever comes after its chainDone is not a gap.
        if (current && lost !== undefined && !t.progress.done && outcome === undefined) {
          const error = await mend(t, lost);
          if (error !== undefined) {
            out.push(error);
            outcome = "failed";
          }
        }
        if (out.length > 0) yield out;
        m.ack();
        if (outcome !== undefined) break;
        if (!jobsSent && m.seq >= replayTo) await sendJobs();
        if ([...tracks.values()].every((c) => c.progress.done)) {
          outcome = "done";
          break;
        }
      }
      if (outcome === undefined && failure !== undefined) {
        yield [{ type: "error", run, message: failure }];
        outcome = "failed";
      }
      outcome ??= "stopped";
    } finally {
      spec.signal?.removeEventListener("abort", onAbort);
      advisories.unsubscribe();
      await messages.close();
    }
    // A failed run's workers stop too (its stream is about to go, unless kept).
    if (outcome !== "done") await stopRun(nc, jsm, run);
    if (outcome !== "stopped" && cluster.keep !== true) await cleanUp(nc, jsm, run, spec.opts.chains, tracks);
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

/** The chain of a frame, from its subject (sampo.run.<run>.draws.<chain>). */
const chainOf = (subject: string): number => Number(subject.slice(subject.lastIndexOf(".") + 1));

/** The items of chain `chain`'s frame; for a frame that cannot be read, why not. */
function itemsOf(m: JsMsg, run: string, chain: number): ReturnType<typeof unpackBatch> | string {
  try {
    return unpackBatch(decodeFrame(m.data), run, chain);
  } catch (e) {
    return `a frame could not be read (stream sequence ${m.seq}: ${(e as Error).message})`;
  }
}

/** Asks the run's workers to checkpoint and stop, and takes its queued jobs back: a resume sends them again. */
async function stopRun(nc: NatsConnection, jsm: JetStreamManager, run: string): Promise<void> {
  nc.publish(stopSubject(run));
  await jsm.streams.purge(JOBS_STREAM, { filter: runJobs(run) });
  await nc.flush();
}

/** Deletes what the run left on the server: its stream, its queued jobs, its chains' checkpoints (of every epoch up to theirs). */
async function cleanUp(
  nc: NatsConnection,
  jsm: JetStreamManager,
  run: string,
  chains: number,
  tracks: Map<number, ChainTrack>,
): Promise<void> {
  await jsm.streams.purge(JOBS_STREAM, { filter: runJobs(run) });
  await jsm.streams.delete(runStream(run)).catch((e: unknown) => {
    if (!isNotFound(e)) throw e;
  });
  // Purged key by key: listing the bucket's keys takes a consumer, which a coordinator may not create.
  const kv = await checkpointBucket(nc);
  for (let chain = 1; chain <= chains; chain++) {
    for (let epoch = 0; epoch <= (tracks.get(chain)?.epoch ?? 0); epoch++) await kv.purge(checkpointKey(run, chain, epoch));
  }
}
