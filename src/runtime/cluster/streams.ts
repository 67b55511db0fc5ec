/**
 * The JetStream resources of cluster runs and their limits: the job queue
 * every run shares, each run's draw stream, and the checkpoint bucket. The
 * limits are what keeps a forgotten run from filling the server's disk:
 * everything expires after `maxAge`, and a run's stream refuses to grow past
 * `maxRunBytes` (a publish then fails loudly; nothing is silently dropped).
 * @module
 */
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  type JetStreamManager,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import { type KV, Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { ALL_JOBS, CHECKPOINT_BUCKET, COORDINATOR_CONSUMER, JOBS_STREAM, runStream, runSubjects, WORKERS_CONSUMER } from "./names.ts";

/** Limits and timings of the resources a coordinator creates. */
export interface StreamLimits {
  /**
   * A job not acknowledged (nor kept alive) for this long goes to another worker (ms, 30 000; at
   * least 1000). The job queue's consumer is shared: the last coordinator to start sets it for all runs.
   */
  readonly ackWaitMs: number;
  /** Deliveries of a job before it is given up, its run failing (5). */
  readonly maxDeliver: number;
  /** Bytes a run's draw stream may hold (1 GiB). */
  readonly maxRunBytes: number;
  /** Jobs, draws and checkpoints older than this are deleted (ms, 7 days). */
  readonly maxAgeMs: number;
}

/** The defaults of {@link StreamLimits}. */
export const DEFAULT_LIMITS: StreamLimits = { ackWaitMs: 30_000, maxDeliver: 5, maxRunBytes: 2 ** 30, maxAgeMs: 7 * 24 * 3600_000 };

/** JetStream counts time in nanoseconds. */
const nanos = (ms: number): number => ms * 1e6;
/** Repeats of a message (a publish retried) within this window are stored once. */
const DUPLICATE_WINDOW_MS = 120_000;

/** Whether `e` is JetStream's "not found" (of a stream or consumer). */
export function isNotFound(e: unknown): boolean {
  return e instanceof JetStreamApiError && e.status === 404;
}

/**
 * Creates the job queue and the workers' consumer when missing, and sets the
 * consumer's acknowledgement wait and delivery limit to `limits`.
 */
export async function ensureJobQueue(jsm: JetStreamManager, limits: StreamLimits): Promise<void> {
  // Workers keep their jobs alive every 500 ms: a shorter wait would hand running jobs to other workers.
  if (!(limits.ackWaitMs >= 1000)) throw new RangeError(`ackWaitMs must be at least 1000, got ${limits.ackWaitMs}`);
  if (!Number.isInteger(limits.maxDeliver) || limits.maxDeliver < 1)
    throw new RangeError(`maxDeliver must be a positive integer, got ${limits.maxDeliver}`);
  try {
    await jsm.streams.info(JOBS_STREAM);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    await jsm.streams.add({
      name: JOBS_STREAM,
      subjects: [ALL_JOBS],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
      max_age: nanos(limits.maxAgeMs),
      max_bytes: limits.maxRunBytes,
      discard: DiscardPolicy.New,
    });
  }
  const consumer = { ack_wait: nanos(limits.ackWaitMs), max_deliver: limits.maxDeliver };
  try {
    const info = await jsm.consumers.info(JOBS_STREAM, WORKERS_CONSUMER);
    if (info.config.ack_wait !== consumer.ack_wait || info.config.max_deliver !== consumer.max_deliver) {
      await jsm.consumers.update(JOBS_STREAM, WORKERS_CONSUMER, consumer);
    }
  } catch (e) {
    if (!isNotFound(e)) throw e;
    await jsm.consumers.add(JOBS_STREAM, {
      durable_name: WORKERS_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      filter_subject: ALL_JOBS,
      ...consumer,
    });
  }
}

/** Creates a run's draw stream when missing. */
export async function ensureRunStream(jsm: JetStreamManager, run: string, limits: StreamLimits): Promise<void> {
  try {
    await jsm.streams.info(runStream(run));
  } catch (e) {
    if (!isNotFound(e)) throw e;
    await jsm.streams.add({
      name: runStream(run),
      subjects: [runSubjects(run)],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
      max_age: nanos(limits.maxAgeMs),
      max_bytes: limits.maxRunBytes,
      discard: DiscardPolicy.New,
    });
  }
}

/**
 * The coordinator's durable consumer of a run's stream, delivering from the
 * start: a restarted coordinator replays the whole run and keeps what its
 * run directory lacks.
 */
export async function freshCoordinatorConsumer(jsm: JetStreamManager, run: string): Promise<void> {
  await jsm.consumers.delete(runStream(run), COORDINATOR_CONSUMER).catch((e: unknown) => {
    if (!isNotFound(e)) throw e;
  });
  await jsm.consumers.add(runStream(run), {
    durable_name: COORDINATOR_CONSUMER,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    max_ack_pending: 10_000,
  });
}

/** The checkpoint bucket (created by coordinators; workers only open it). */
export async function checkpointBucket(nc: NatsConnection, limits?: StreamLimits): Promise<KV> {
  const kvm = new Kvm(nc);
  if (limits === undefined) return kvm.open(CHECKPOINT_BUCKET);
  return kvm.create(CHECKPOINT_BUCKET, { history: 1, ttl: limits.maxAgeMs, max_bytes: 2 ** 28, storage: StorageType.File });
}
