/**
 * The browser build's counterpart of `pool.ts`: chains in Web Workers.
 *
 * Each worker is a module worker started from `sampo.worker.js`, which the
 * build writes beside `sampo.browser.js` and the bundle finds relative to
 * its own URL. A job is steered by messages ({@link WorkerCommand}: credits
 * for the messages consumed, a stop), not by shared memory, so a page needs
 * no cross-origin isolation. A page cannot see a worker exit, only an
 * uncaught error or a script that fails to load: either ends the worker and
 * counts as its death (the supervisor restarts the chain from its last
 * checkpoint).
 * @module
 */
import type { WorkerCommand, WorkerJob, WorkerReport } from "./protocol.ts";
import { ChainThread, type JobControl, ThreadPool } from "./thread.ts";

/** What is used here of a page's `Worker` (the build is typed without the DOM library). */
interface WebWorker {
  postMessage(message: WorkerJob | WorkerCommand): void;
  terminate(): void;
  onmessage: ((e: { readonly data: WorkerReport }) => void) | null;
  onerror: ((e: { readonly message?: string; preventDefault(): void }) => void) | null;
  onmessageerror: (() => void) | null;
}

/** What is used here of the page's globals. */
interface PageGlobals {
  readonly Worker?: new (url: string, options: { type: "module"; name: string }) => WebWorker;
  readonly location?: { readonly origin: string };
}

/** The worker script's URL: a page may not start a worker from another origin (a CDN), but a same-origin blob that imports it. */
function scriptUrl(): { readonly start: string; readonly shown: string } {
  // A literal, as bundlers that copy a page's assets (Vite, webpack) recognize it; the build names the file so (WORKER_FILE).
  const url = new URL("./sampo.worker.js", import.meta.url);
  const origin = (globalThis as PageGlobals).location?.origin;
  if (origin === undefined || url.origin === origin) return { start: url.href, shown: url.href };
  const shim = new Blob([`import ${JSON.stringify(url.href)};`], { type: "text/javascript" });
  return { start: URL.createObjectURL(shim), shown: url.href };
}

let script: ReturnType<typeof scriptUrl> | undefined;

/** A Web Worker running chain jobs. */
class WebChainThread extends ChainThread {
  private readonly worker: WebWorker;

  constructor(onExit: (t: ChainThread) => void) {
    super(onExit);
    const Worker = (globalThis as PageGlobals).Worker;
    if (Worker === undefined) throw new Error("chains in workers need Web Workers, which are not available here: sample with workers: 0");
    script ??= scriptUrl();
    const { shown } = script;
    this.worker = new Worker(script.start, { type: "module", name: "sampo chain" });
    this.worker.onmessage = (e) => this.reported(e.data);
    this.worker.onerror = (e) => {
      // Handled here: the page's console does not report it as its own uncaught error.
      e.preventDefault();
      this.worker.terminate();
      this.ended(
        e.message !== undefined && e.message !== ""
          ? e.message.replace(/^Uncaught /, "uncaught ")
          : `its script ${shown} could not be loaded or started (it is built beside sampo.browser.js; or sample with workers: 0)`,
      );
    };
    this.worker.onmessageerror = () => {
      this.worker.terminate();
      this.ended("a message from it could not be read");
    };
  }

  protected start(job: WorkerJob): JobControl {
    this.worker.postMessage(job);
    const key = { run: job.run, chain: job.chain, attempt: job.attempt };
    return {
      credit: (consumed, wake) => {
        if (wake) this.worker.postMessage({ type: "credit", ...key, consumed });
      },
      stop: () => this.worker.postMessage({ type: "stop", ...key }),
    };
  }

  /** Ends the worker; unlike a Node thread's, its end is heard of at once (a page sees no exit of a worker). */
  terminate(): void {
    this.worker.terminate();
    this.ended("it was terminated");
  }
}

/** The page's pool of chain workers. */
export const threadPool = new ThreadPool((onExit) => new WebChainThread(onExit));
