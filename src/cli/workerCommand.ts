/**
 * `sampo worker --nats URL`: runs chain jobs for cluster runs until Ctrl-C
 * or SIGTERM; the first signal checkpoints the running chains and gives
 * their jobs back, a second quits at once.
 * @module
 */
import { runWorker, type WorkerOptions } from "../runtime/cluster/worker.ts";
import { EXIT_INTERRUPTED } from "./sampleCommand.ts";

/** Runs a worker until it is signalled to stop. */
export async function workerCommand(opts: Omit<WorkerOptions, "signal" | "log">): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(EXIT_INTERRUPTED);
    process.stderr.write("worker: stopping: checkpointing the running chains (again to quit at once)\n");
    stop.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    await runWorker({ ...opts, signal: stop.signal });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  return 0;
}
