/**
 * `sampo sample`: NUTS on a model file; the summary table to stdout,
 * progress and warnings to stderr, files to `--out`. `--resume` continues
 * an interrupted `--out` run; Ctrl-C stops a run cleanly, resumable.
 * @module
 */
import { basename, resolve } from "node:path";
import { DrawCollector } from "../runtime/collect.ts";
import { Fit } from "../fit/fit.ts";
import type { SampleOptions } from "../inference/options.ts";
import { readRun, resumeFrom, type RunOnDisk } from "../runtime/drawLog.ts";
import { RunDirectory } from "../runtime/runDirectory.ts";
import { sampleStream, type StreamOptions } from "../fit/sampleStream.ts";
import { readInitFile } from "../io/dataFile.ts";
import { loadModel } from "./loadModel.ts";
import { printFit } from "./printFit.ts";
import { progressSink } from "./progress.ts";
import { openDashboard } from "../dashboard/dashboard.ts";
import type { ServerOptions } from "../dashboard/server.ts";
import { serveUntilInterrupted } from "./dashboardCommand.ts";
import type { ClusterOptions } from "../runtime/cluster/coordinator.ts";

/** Options of `sampo sample`, parsed. */
export interface SampleCommandOptions extends SampleOptions {
  readonly data?: string;
  readonly out?: string;
  readonly initFile?: string;
  /** Continue the interrupted run in `out`. */
  readonly resume?: boolean;
  /** Worker threads (default min(chains, cores); 0 or 1: none). */
  readonly workers?: number;
  /** Each worker thread's heap limit in MB (Node's default when absent). */
  readonly threadHeapMb?: number;
  /** Checkpoint interval in iterations (100). */
  readonly checkpointEvery?: number;
  /** Serve the live dashboard while sampling (and after, until Ctrl-C). */
  readonly dashboard?: ServerOptions;
  /** Run the chains on workers over NATS. */
  readonly cluster?: ClusterOptions;
}

/** The exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** The sampling options `--resume` takes from run.json; given again on the command line they must agree. */
const RECORDED = [
  "chains",
  "draws",
  "warmup",
  "seed",
  "thin",
  "targetAccept",
  "maxDepth",
  "metric",
  "adapt",
  "saveWarmup",
  "reparam",
] as const;

/** The stream options continuing an interrupted run, after checking the command line agrees with it. */
function resumeOptions(file: string, opts: SampleCommandOptions, onDisk: RunOnDisk): StreamOptions {
  // A run recorded before `adapt` existed warmed up as Stan does.
  const settings = { adapt: "stan" as const, ...onDisk.manifest.settings };
  const { manifest } = onDisk;
  for (const key of RECORDED) {
    const given = opts[key];
    if (given !== undefined && given !== settings[key]) {
      throw new Error(`cannot resume: ${key} is ${String(given)} here but ${String(settings[key])} in the run; leave it out to resume`);
    }
  }
  if (manifest.modelPath !== undefined && resolve(file) !== manifest.modelPath)
    process.stderr.write(`note: the run was started from ${manifest.modelPath}\n`);
  return {
    ...settings,
    init: manifest.init,
    centering: manifest.centering,
    resume: resumeFrom(onDisk),
  };
}

/** Runs `sampo sample FILE` (its command line checked by main.ts: `resume` comes with `out`, without `initFile`); returns the exit code (0, or 130 when stopped by Ctrl-C). */
export async function sampleCommand(file: string, opts: SampleCommandOptions): Promise<number> {
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const onDisk = opts.resume === true ? readRun(opts.out!) : undefined;
  const dataFile = opts.data ?? onDisk?.manifest.dataPath;
  const { model, data, path } = await loadModel(file, dataFile);
  const init =
    opts.initFile === undefined
      ? undefined
      : opts.initFile === "pathfinder"
        ? "pathfinder"
        : await readInitFile(resolve(opts.initFile), opts.initFile);
  const checkpointEvery = opts.checkpointEvery ?? onDisk?.manifest.checkpointEvery ?? 100;
  const sink =
    opts.out === undefined
      ? undefined
      : new RunDirectory(
          opts.out,
          basename(file),
          { modelPath: path, dataPath: dataFile === undefined ? undefined : resolve(dataFile), init, checkpointEvery },
          onDisk,
        );
  const {
    data: _data,
    out: _out,
    initFile: _initFile,
    resume: _resume,
    workers,
    threadHeapMb,
    checkpointEvery: _every,
    dashboard: serve,
    cluster,
    ...given
  } = opts;
  const sampling: StreamOptions = onDisk === undefined ? { ...given, init } : resumeOptions(file, opts, onDisk);

  // Ctrl-C: the chains checkpoint where they are and the stream ends; a second Ctrl-C quits at once.
  const stop = new AbortController();
  const progress = progressSink();
  const onSigint = () => {
    if (stop.signal.aborted) process.exit(EXIT_INTERRUPTED);
    progress.note("stopping: saving each chain's state (Ctrl-C again to quit at once)");
    stop.abort();
  };
  process.on("SIGINT", onSigint);
  const dash = serve === undefined ? undefined : await openDashboard(serve);
  if (dash !== undefined) log(`dashboard: ${dash.url}`);
  const collector = new DrawCollector();
  try {
    const stream = sampleStream(model, data, {
      ...sampling,
      workers,
      ...(threadHeapMb !== undefined && { resourceLimits: { maxOldGenerationSizeMb: threadHeapMb } }),
      cluster,
      checkpointEvery,
      // The run directory writes the rows the chains' threads formatted.
      csvRows: sink !== undefined,
      signal: stop.signal,
      onCheckpoint: (chain, state) => sink?.checkpoint(chain, state),
    });
    for await (const msg of stream) {
      sink?.add(msg);
      dash?.write(msg);
      if (msg.type === "error" && stop.signal.aborted) break;
      // With a run directory, it keeps the draws (chainsWritten below).
      if (sink === undefined || msg.type !== "draw") collector.add(msg);
      await progress.write(msg);
    }
  } finally {
    process.off("SIGINT", onSigint);
    sink?.close();
    await progress.close?.();
    await dash?.close();
  }
  if (stop.signal.aborted) {
    const data = opts.data === undefined ? "" : ` --data ${opts.data}`;
    log(
      opts.out === undefined
        ? "interrupted (nothing was saved: sample with --out DIR to be able to resume)"
        : `interrupted; continue with: sampo sample ${file}${data} --out ${opts.out} --resume`,
    );
    return EXIT_INTERRUPTED;
  }
  const { start, chains } = collector.result();
  // With a run directory, its chains (a resumed run's earlier draws too), whose summary.json it just wrote.
  printFit(new Fit(start.valueLayout, start.settings, sink?.chainsWritten() ?? chains));
  if (opts.out !== undefined) log(`wrote ${opts.out}/chain-*.csv, run.json, summary.json`);
  if (dash === undefined) return 0;
  log(`the dashboard stays at ${dash.url} (Ctrl-C to stop)`);
  return serveUntilInterrupted(dash);
}
