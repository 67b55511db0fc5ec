/**
 * `sampo sample`: NUTS on a model file; the summary table to stdout,
 * progress and warnings to stderr, files to `--out`.
 * @module
 */
import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { formatSummaryTable } from "../inference/diagnostics/summary.ts";
import { DrawCollector } from "../inference/collect.ts";
import type { SampleOptions } from "../inference/options.ts";
import { diagnose, summarize } from "../inference/report.ts";
import { RunDirectory } from "../runtime/runDirectory.ts";
import { sampleStream } from "../runtime/stream.ts";
import { loadModel } from "./loadModel.ts";

/** Options of `sampo sample`, parsed. */
export interface SampleCommandOptions extends SampleOptions {
  readonly data?: string;
  readonly out?: string;
  readonly initFile?: string;
}

/** Runs `sampo sample FILE`. */
export async function sampleCommand(file: string, opts: SampleCommandOptions): Promise<void> {
  const { model, data } = await loadModel(file, opts.data);
  const init = opts.initFile === undefined ? undefined : JSON.parse(await readFile(resolve(opts.initFile), "utf8"));
  const sink = opts.out === undefined ? undefined : new RunDirectory(opts.out, basename(file));
  const collector = new DrawCollector();
  const log = (s: string) => process.stderr.write(`${s}\n`);
  let total = 0;
  for await (const msg of sampleStream(model, data, { ...opts, init })) {
    sink?.add(msg);
    collector.add(msg);
    if (msg.type === "start") total = msg.settings.warmup + msg.settings.draws;
    else if (msg.type === "draw" && (msg.iter % Math.max(1, Math.floor(total / 10)) === 0 || msg.iter === total)) {
      log(`chain ${msg.chain}: iteration ${msg.iter} / ${total} (${msg.warmup ? "warm-up" : "sampling"})`);
    } else if (msg.type === "chainDone") log(`chain ${msg.chain}: done in ${(msg.elapsed.warmup + msg.elapsed.sampling).toFixed(2)} s`);
  }
  const { start, chains } = collector.result();
  const rows = summarize(start.valueLayout, chains);
  process.stdout.write(`${formatSummaryTable(rows.map(({ name, ...row }) => ({ name, row })))}\n`);
  for (const w of diagnose(chains, rows, start.settings.maxDepth).warnings) log(`warning: ${w}`);
  if (opts.out !== undefined) log(`wrote ${opts.out}/chain-*.csv, run.json, summary.json`);
}
