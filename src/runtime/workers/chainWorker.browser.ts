/**
 * The body of a chain Web Worker (`sampo.worker.js` in the browser build):
 * the browser's counterpart of `chainWorker.ts`, running the same jobs with
 * the same code (jobRunner.ts).
 *
 * A page may lack cross-origin isolation, and with it SharedArrayBuffer
 * and `Atomics.wait`, so the worker is steered by messages: after each batch it
 * yields to its event loop for a moment, which lets credits and a stop
 * arrive, and while too many of its messages wait for the consumer it
 * waits for the credit that frees it.
 * @module
 */
import { serveJob, type WorkerSide } from "./jobRunner.ts";
import type { WorkerCommand, WorkerJob, WorkerReport } from "./protocol.ts";

/** What is used here of a worker's global scope (the build is typed without the DOM library). */
interface WorkerScope {
  postMessage(message: WorkerReport, transfer?: ArrayBuffer[]): void;
  onmessage: ((e: { readonly data: WorkerJob | WorkerCommand }) => void) | null;
  readonly MessageChannel: new () => { readonly port1: { onmessage: (() => void) | null }; readonly port2: { postMessage(m: null): void } };
}

const scope = globalThis as unknown as WorkerScope;

/** What the running job has heard from the page. */
interface Heard {
  readonly job: WorkerJob;
  consumed: number;
  stop: boolean;
  /** Resolved on the next command. */
  readonly waiting: (() => void)[];
}

let current: Heard | undefined;

/** A turn of the event loop without a timer's clamping: a message to itself. */
const turns = new scope.MessageChannel();
const turnsWaiting: (() => void)[] = [];
turns.port1.onmessage = () => turnsWaiting.shift()?.();
const nextTurn = () =>
  new Promise<void>((resolve) => {
    turnsWaiting.push(resolve);
    turns.port2.postMessage(null);
  });

/** A job's side of the worker: reports to the page, paced by the page's credits. */
function sideOf(heard: Heard): WorkerSide {
  const behind = (posted: number) => posted - heard.consumed >= heard.job.highWaterMark && !heard.stop;
  return {
    post: (report, transfer) => scope.postMessage(report, transfer),
    async pace(posted) {
      await nextTurn();
      while (behind(posted)) await new Promise<void>((resolve) => heard.waiting.push(resolve));
    },
    stopRequested: () => heard.stop,
    // A page sees no exit of a worker: the uncaught error that follows stands for it.
    exit: () => undefined,
  };
}

scope.onmessage = ({ data }) => {
  if (data.type === "job") {
    current = { job: data, consumed: 0, stop: false, waiting: [] };
    serveJob(data, sideOf(current));
    return;
  }
  const heard = current;
  // A command for a job that ended (it crossed the job's end on the way) is stale.
  if (heard === undefined || heard.job.run !== data.run || heard.job.chain !== data.chain || heard.job.attempt !== data.attempt) return;
  if (data.type === "credit") heard.consumed = data.consumed;
  else heard.stop = true;
  for (const resolve of heard.waiting.splice(0)) resolve();
};
