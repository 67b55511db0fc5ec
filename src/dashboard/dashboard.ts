/**
 * The live dashboard: a sink of a run's messages that serves a web page
 * showing the run as it happens (traces, marginals, rank plots, the summary
 * table, warm-up, per-chain progress and warnings). It reads the same
 * messages whether the chains run in this process, in worker threads, or
 * elsewhere, and whether the run is live, resumed, or a directory on disk.
 * @module
 */
import type { SampleMessage } from "../runtime/messages.ts";
import type { Sink } from "../runtime/sinks/sink.ts";
import { tailRunDirectory } from "../runtime/tailRunDirectory.ts";
import { RunState, type RunStateLimits } from "./runState.ts";
import { DashboardServer, type ServerOptions } from "./server.ts";

/** Options of {@link openDashboard} and {@link dashboard}. */
export interface DashboardOptions extends ServerOptions {
  /** Memory limits of what the dashboard keeps (see {@link RunStateLimits}). */
  readonly limits?: RunStateLimits;
}

/**
 * An open dashboard: a {@link Sink} of one run's messages and the server of
 * its page. Writing never waits: a slow browser never slows the run.
 */
export interface Dashboard extends Sink {
  /** The page's address (with its token when bound beyond loopback). */
  readonly url: string;
  /** The run ended (with `error` when abnormally); the page keeps showing it. */
  close(error?: unknown): void;
  /** Closes the server and every page's stream. */
  stop(): Promise<void>;
}

/**
 * Opens a dashboard with no run yet: write a run's messages to it (it is a
 * {@link Sink}: use it with `pipe` or `tee`).
 *
 * @example
 * ```ts slow
 * const dash = await openDashboard({ port: 0 });
 * console.log(`open ${dash.url}`);
 * await pipe(sampleStream(eightSchools, data), dash);
 * await dash.stop();
 * ```
 */
export async function openDashboard(options: DashboardOptions = {}): Promise<Dashboard> {
  return (await serve(options)).dash;
}

/** A run state, its server listening, and the dashboard writing to them. */
async function serve(options: DashboardOptions): Promise<{ state: RunState; server: DashboardServer; dash: Dashboard }> {
  const state = new RunState(options.limits);
  const server = new DashboardServer(state, options);
  const url = await server.listen();
  const dash: Dashboard = {
    name: "dashboard",
    url,
    write(msg) {
      state.add(msg, performance.timeOrigin + performance.now());
    },
    close(error) {
      if (error !== undefined) state.end({ ok: false, message: error instanceof Error ? error.message : String(error) });
      server.flush();
    },
    stop: () => server.close(),
  };
  return { state, server, dash };
}

/** A dashboard fed by a source; `finished` settles when the source is exhausted. */
export interface SourceDashboard extends Dashboard {
  readonly finished: Promise<void>;
}

/**
 * Serves a dashboard of `source`: any stream of draw messages (what
 * `sampleStream` yields; `messagePortSource` and `nodeStreamSource` turn a
 * MessagePort or NDJSON into one), or the path of a run directory, watched
 * while another process writes it and shown the same way once finished.
 * A method other than NUTS writes its draws and figures only when it
 * finishes, and not its progress: until then its page shows the run
 * as running.
 *
 * @example
 * ```ts slow
 * const dash = await dashboard(sampleStream(eightSchools, data), { port: 0 });
 * console.log(`open ${dash.url}`);
 * await dash.finished;
 * await dash.stop();
 * ```
 */
export async function dashboard(source: AsyncIterable<SampleMessage> | string, options: DashboardOptions = {}): Promise<SourceDashboard> {
  const { state, server, dash } = await serve(options);
  const stopping = new AbortController();
  if (typeof source === "string") state.progressNote = "not recorded in a run directory";
  const messages =
    typeof source === "string"
      ? tailRunDirectory(source, {
          signal: stopping.signal,
          onCheckpoint: (chain, iter, step) => state.reached(chain, iter, step),
          // Shown as running, without values: the stream's own start follows with them.
          onPending: (start) => dash.write(start),
        })
      : source;
  const finished = (async () => {
    try {
      for await (const msg of messages) dash.write(msg);
      if (state.finished === undefined && !stopping.signal.aborted)
        state.end({ ok: false, message: "the run's messages ended before its end" });
    } catch (e) {
      state.end({ ok: false, message: e instanceof Error ? e.message : String(e) });
    }
    server.flush();
  })();
  return {
    ...dash,
    finished,
    stop: async () => {
      stopping.abort();
      await server.close();
    },
  };
}
