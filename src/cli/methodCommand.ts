/**
 * `sampo optimize | laplace | advi | pathfinder | smc FILE`: a method other
 * than NUTS on a model file; the summary table and the method's figures to
 * stdout, progress and warnings to stderr, `<method>.csv`, `run.json` and
 * `summary.json` to `--out`. Ctrl-C stops the method.
 * @module
 */
import { basename, resolve } from "node:path";
import { openDashboard } from "../dashboard/dashboard.ts";
import { methodResult, methodTitle } from "../dashboard/methodRun.ts";
import type { ServerOptions } from "../dashboard/server.ts";
import type { Model, Outputs } from "../dsl/model.ts";
import { collectMethod, type MethodFit } from "../fit/methodFit.ts";
import { adviStream } from "../fit/methods/advi.ts";
import { optimizeStream } from "../fit/methods/optimize.ts";
import { laplaceStream } from "../fit/methods/laplace.ts";
import { pathfinderStream } from "../fit/methods/pathfinder.ts";
import { smcStream } from "../fit/methods/smc.ts";
import { readInitFile } from "../io/dataFile.ts";
import type { CsvMethod } from "../io/stanCsv/method.ts";
import type { SampleMessage } from "../runtime/messages.ts";
import { MethodDirectory } from "../runtime/methodDirectory.ts";
import { serveUntilInterrupted } from "./dashboardCommand.ts";
import { loadModel } from "./loadModel.ts";
import { printFit } from "./printFit.ts";
import { progressSink } from "./progress.ts";
import { EXIT_INTERRUPTED } from "./sampleCommand.ts";

/** Options of a method command, parsed. */
export interface MethodCommandOptions {
  readonly data?: string;
  readonly out?: string;
  readonly initFile?: string;
  readonly dashboard?: ServerOptions;
  /** The method's own options (seed, backend and the method's settings). */
  readonly options: Readonly<Record<string, unknown>>;
}

type StreamOf = (mdl: Model<unknown, Outputs>, data: unknown, opts: Record<string, unknown>) => AsyncGenerator<SampleMessage>;

const STREAMS: Readonly<Record<CsvMethod, StreamOf>> = {
  optimize: optimizeStream,
  laplace: laplaceStream,
  variational: adviStream,
  pathfinder: pathfinderStream,
  smc: smcStream,
};

/** The method's headline figures in one line, as the dashboard shows them. */
function headline(method: CsvMethod, fit: MethodFit): string {
  const { figures } = methodResult({ type: "result", run: "", method, info: fit.info, warnings: fit.warnings });
  return `${methodTitle(method)}: ${figures.map((f) => `${f.label} ${f.value}`).join("; ")}`;
}

/** Runs a method on a model file; returns the exit code (0, or 130 when stopped by Ctrl-C). */
export async function methodCommand(method: CsvMethod, file: string, opts: MethodCommandOptions): Promise<number> {
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const { model, data, path } = await loadModel(file, opts.data);
  const init = opts.initFile === undefined ? undefined : await readInitFile(resolve(opts.initFile), opts.initFile);
  const sink =
    opts.out === undefined
      ? undefined
      : new MethodDirectory(opts.out, basename(file), {
          modelPath: path,
          dataPath: opts.data === undefined ? undefined : resolve(opts.data),
        });
  const stop = new AbortController();
  const progress = progressSink();
  const onSigint = () => {
    if (stop.signal.aborted) process.exit(EXIT_INTERRUPTED);
    progress.note("stopping (Ctrl-C again to quit at once)");
    stop.abort(new Error("stopped by Ctrl-C"));
  };
  process.on("SIGINT", onSigint);
  const dash = opts.dashboard === undefined ? undefined : await openDashboard(opts.dashboard);
  if (dash !== undefined) log(`dashboard: ${dash.url}`);
  const stream = STREAMS[method](model as Model<unknown, Outputs>, data, { ...opts.options, init, signal: stop.signal });
  async function* tee(): AsyncGenerator<SampleMessage> {
    for await (const msg of stream) {
      sink?.add(msg);
      dash?.write(msg);
      await progress.write(msg);
      yield msg;
    }
  }
  let fit: MethodFit;
  try {
    fit = await collectMethod(tee());
  } catch (e) {
    await dash?.close();
    if (stop.signal.aborted) {
      log("interrupted");
      return EXIT_INTERRUPTED;
    }
    throw e;
  } finally {
    process.off("SIGINT", onSigint);
    await progress.close?.();
  }
  printFit(fit);
  process.stdout.write(`${headline(method, fit)}\n`);
  if (opts.out !== undefined) log(`wrote ${opts.out}/${method}.csv, run.json, summary.json`);
  if (dash === undefined) return 0;
  log(`the dashboard stays at ${dash.url} (Ctrl-C to stop)`);
  return serveUntilInterrupted(dash);
}
