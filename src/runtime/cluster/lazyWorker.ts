/**
 * The package root's {@link runWorker}: the worker's module, with the NATS
 * JetStream client it imports (about 30 ms), is loaded by the first call,
 * not by every importer of the package.
 * @module
 */
import type { WorkerOptions } from "./worker.ts";

export type { WorkerOptions };

/**
 * Runs a cluster worker, as `sampo worker` does, until `opts.signal` is
 * aborted (or forever): connects, waits for the job queue to exist, and runs
 * up to `opts.concurrency` chain jobs at a time.
 */
export async function runWorker(opts: WorkerOptions): Promise<void> {
  return (await import("./worker.ts")).runWorker(opts);
}
