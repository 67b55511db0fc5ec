/**
 * The run directory of a method other than NUTS (written by
 * methodDirectory.ts) read as the messages of its run, the ones the
 * live stream sent: `start`, the draws of each chain, `result`, a
 * `chainDone` per chain, then `done`. Such a method writes `<method>.csv`
 * whole when it finishes, with its figures in `run.json`; until then the
 * directory holds only `run.json`, which says the run started but not the
 * layout of its values, so the stream's `start` waits for the file.
 * The engine's `progress` is not recorded, so it is not replayed.
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { readStanCsvFile } from "../io/stanCsv/file.ts";
import type { StanCsvFile } from "../io/stanCsv/index.ts";
import type { CsvMethod } from "../io/stanCsv/method.ts";
import { methodChains, methodDrawStats } from "../io/stanCsv/methodChains.ts";
import { losslessParse } from "../losslessJson.ts";
import type { ValueLayout } from "../tensor/layout.ts";
import type { RunManifest } from "./drawLog.ts";
import { PROTOCOL_VERSION, type DrawMessage, type SampleMessage, type StartMessage } from "./messages.ts";

/** Options of {@link tailMethodDirectory} (those of `tailRunDirectory` that apply). */
export interface MethodTailOptions {
  /** Keep watching until the run's summary.json appears (true), or read what is there and stop (false). */
  readonly follow?: boolean;
  /** Milliseconds between looks at the files (250). */
  readonly pollMs?: number;
  /** Stops the watching. */
  readonly signal?: AbortSignal;
  /**
   * The run has started but its draws are not written yet: its `start` as
   * run.json records it, with an empty value layout (called once, before
   * the stream's `start`, only while the method is still running).
   */
  readonly onPending?: (start: StartMessage) => void;
}

/** A directory's run.json, or undefined when there is none yet. */
export function readManifest(dir: string): RunManifest | undefined {
  const path = join(dir, "run.json");
  // Written atomically (drawLog.ts writeAtomically), and losslessly by method runs (a k̂ of Infinity).
  return existsSync(path) ? (losslessParse(readFileSync(path, "utf8")) as RunManifest) : undefined;
}

/**
 * The `start` message a method run's manifest records, with the value
 * layout of its draws (the unconstrained layout is not in the directory;
 * readers of a run's draws do not need it).
 */
export function manifestStart(manifest: RunManifest, valueLayout: ValueLayout): StartMessage {
  return {
    type: "start",
    version: PROTOCOL_VERSION,
    run: manifest.run,
    ...(manifest.method === undefined ? {} : { method: manifest.method }),
    ...(manifest.methodSettings === undefined ? {} : { methodSettings: manifest.methodSettings }),
    valueLayout,
    layout: [],
    settings: manifest.settings,
    modelHash: manifest.modelHash,
    dataHash: manifest.dataHash,
    centering: manifest.centering,
  };
}

/** The draw messages of a method's file, as its live stream sent them: SMC's runs (`run__`) are chains 1, 2, … */
function* drawsOf(run: string, method: CsvMethod, file: StanCsvFile): Generator<DrawMessage> {
  for (const { draws, columns } of methodChains(method, file)) {
    const names = Object.keys(columns);
    const stats = methodDrawStats(columns);
    for (let r = 0; r < draws.draws; r++) {
      yield {
        type: "draw",
        run,
        chain: draws.chain,
        iter: r + 1,
        warmup: false,
        values: draws.values.map((v) => v[r]),
        stats: stats(r),
        columns: Object.fromEntries(names.map((k) => [k, columns[k][r]])),
      };
    }
  }
}

/**
 * The messages of the method run in `dir`, whose run.json is `manifest`.
 * `chainDone` carries no sampling time (NaN): the files do not record it.
 *
 * A run that failed (run.json's `failure`) gives its `start` and the
 * `error` that ended it.
 *
 * @throws Error when `follow` is false and the method has not written its draws yet.
 */
export async function* tailMethodDirectory(
  dir: string,
  manifest: RunManifest,
  options: MethodTailOptions = {},
): AsyncGenerator<SampleMessage> {
  const { follow = true, pollMs = 250, signal, onPending } = options;
  const method = manifest.method;
  if (method === undefined) throw new Error(`${dir} holds NUTS chains, not a method's run`);
  const csv = join(dir, `${method}.csv`);
  let pending = false;
  // The file and then run.json's figures are written at the method's end; follow waits for both.
  while (!existsSync(csv) || (follow && manifest.result === undefined)) {
    if (manifest.failure !== undefined) {
      yield manifestStart(manifest, []);
      yield { type: "error", run: manifest.run, message: manifest.failure };
      return;
    }
    if (!follow) throw new Error(`${dir}: the ${method} run has not finished: its draws (${method}.csv) are written when it does`);
    if (!existsSync(csv) && !pending) {
      pending = true;
      onPending?.(manifestStart(manifest, []));
    }
    if (signal?.aborted) return;
    await sleep(pollMs, undefined, { ref: false });
    manifest = readManifest(dir) ?? manifest;
  }
  manifest = readManifest(dir) ?? manifest;
  const file = readStanCsvFile(csv);
  const { run } = manifest;
  yield manifestStart(manifest, file.layout);
  yield* drawsOf(run, method, file);
  if (manifest.result === undefined) return;
  yield { type: "result", run, method, info: manifest.result.info, warnings: manifest.result.warnings };
  for (let k = 1; k <= manifest.settings.chains; k++) yield { type: "chainDone", run, chain: k, elapsed: { warmup: 0, sampling: NaN } };
  const summary = join(dir, "summary.json");
  while (!existsSync(summary)) {
    if (!follow || signal?.aborted) return;
    await sleep(pollMs, undefined, { ref: false });
  }
  yield { type: "done", run };
}
