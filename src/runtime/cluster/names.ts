/**
 * Where a cluster run's messages live in NATS. One work-queue stream holds
 * every run's chain jobs; each run has its own draw stream and its own
 * subjects, so runs never see each other's messages and a run's permissions
 * can be granted (and its stream deleted) on its own.
 *
 * ```
 * sampo.jobs.<run>.<chain>      a chain job              (stream SAMPO_JOBS, work queue)
 * sampo.run.<run>.draws.<chain> a chain's message frames (stream SAMPO_RUN_<run>)
 * sampo.run.<run>.stop          "checkpoint and stop"    (plain NATS, to the run's workers;
 *                               with a chain and epoch: only that chain's jobs of earlier epochs)
 * KV sampo-checkpoints, key <run>.<chain>[.<epoch>]: the chain's last checkpoint (of that epoch, if not 0)
 * ```
 * @module
 */

/** The work-queue stream of chain jobs. */
export const JOBS_STREAM = "SAMPO_JOBS";
/** The durable consumer the workers share: each job goes to one worker at a time. */
export const WORKERS_CONSUMER = "sampo-workers";
/** The KV bucket of chain checkpoints. */
export const CHECKPOINT_BUCKET = "sampo-checkpoints";
/** The durable consumer through which a coordinator takes in its run's frames. */
export const COORDINATOR_CONSUMER = "coordinator";

/** Subjects of every job (what the job stream captures). */
export const ALL_JOBS = "sampo.jobs.>";

/** A run id or chain number is a single subject token: letters, digits, `-` and `_` only. */
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

/** Whether `run` can name a run's subjects, stream and keys. */
export function isRunToken(run: string): boolean {
  return TOKEN.test(run);
}

/** The subject of chain `chain`'s job in run `run`. */
export const jobSubject = (run: string, chain: number): string => `sampo.jobs.${run}.${chain}`;
/** The subjects of all of a run's jobs. */
export const runJobs = (run: string): string => `sampo.jobs.${run}.>`;
/** The stream holding a run's message frames. */
export const runStream = (run: string): string => `SAMPO_RUN_${run}`;
/** The subject of chain `chain`'s message frames. */
export const drawSubject = (run: string, chain: number): string => `sampo.run.${run}.draws.${chain}`;
/** The subjects a run's stream captures. */
export const runSubjects = (run: string): string => `sampo.run.${run}.draws.>`;
/** The subject on which a coordinator asks its run's workers to checkpoint and stop. */
export const stopSubject = (run: string): string => `sampo.run.${run}.stop`;
/** The KV key of chain `chain`'s checkpoint in epoch `epoch` (see `epoch.ts`). */
export const checkpointKey = (run: string, chain: number, epoch = 0): string =>
  epoch === 0 ? `${run}.${chain}` : `${run}.${chain}.${epoch}`;
