/**
 * The body of a chain worker thread in Node: takes one job at a time and
 * runs it (jobRunner.ts), posting its batches to the parent; or takes
 * part in a summary (summaryJob.ts), or reads Stan CSV files (readJob.ts).
 *
 * The chain runs synchronously, so the worker does not read its port while
 * a job runs; the supervisor steers it through a shared control array
 * instead (how many messages were consumed, whether to stop), and the
 * worker sleeps on it with `Atomics.wait` while the consumer is behind.
 * @module
 */
import { parentPort } from "node:worker_threads";
import { serveJob, type WorkerSide } from "./jobRunner.ts";
import { CONTROL, type SharedControlJob } from "./protocol.ts";
import { type ReadJob, readOn } from "./readJob.ts";
import { type SummaryJob, type SummaryReport, workOn } from "./summaryJob.ts";

/** How long to sleep at a time while the consumer is behind (ms); a notify wakes the worker sooner. */
const WAIT_MS = 50;

const port = parentPort;
if (port === null) throw new Error("chainWorker runs in a worker thread");

/** A job's side of the thread: reports to the parent port, pacing and stopping through the shared control array. */
function sideOf(job: SharedControlJob): WorkerSide {
  const control = new Int32Array(job.control);
  const stopRequested = () => Atomics.load(control, CONTROL.stop) === 1;
  return {
    post: (report, transfer) => port!.postMessage(report, transfer),
    pace(posted) {
      for (;;) {
        const consumed = Atomics.load(control, CONTROL.consumed);
        if (posted - consumed < job.highWaterMark || stopRequested()) return;
        Atomics.wait(control, CONTROL.consumed, consumed, WAIT_MS);
      }
    },
    stopRequested,
    exit: () => process.exit(1),
  };
}

port.on("message", (job: SharedControlJob | SummaryJob | ReadJob) => {
  if (job.type === "summary") {
    workOn(job);
    return port.postMessage({ type: "summary" } satisfies SummaryReport);
  }
  if (job.type === "read") {
    const { report, transfer } = readOn(job);
    return port.postMessage(report, transfer);
  }
  return serveJob(job, sideOf(job));
});
