/**
 * A run directory read as the messages of its run, while another process
 * writes it (like `tail -f`) or after it finished: `start` from run.json and
 * the chain files' layout, a `draw` per CSV row as rows appear, `adapted` and
 * `chainDone` from the CSV's adaptation and timing blocks, `done` once
 * summary.json is written. Warm-up rows are in the files only when the run
 * saves them; the checkpoints tell where a chain is in warm-up meanwhile.
 * A method's run directory (run.json naming its `method`) is read by
 * tailMethodDirectory.ts: its draws come whole once the method finishes.
 * @module
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { readStanCsvFile } from "../io/stanCsv/file.ts";
import { STAT_NAMES, type DrawStats } from "../inference/draws.ts";
import { csvPath, checkpointPath, readCheckpointFile, type RunManifest } from "./drawLog.ts";
import type { SampleMessage, StartMessage } from "./messages.ts";
import { manifestStart, readManifest, tailMethodDirectory } from "./tailMethodDirectory.ts";

/** Options of {@link tailRunDirectory}. */
export interface TailOptions {
  /** Keep watching until the run's summary.json appears (true), or read what is there and stop (false). */
  readonly follow?: boolean;
  /** Milliseconds between looks at the files (250). */
  readonly pollMs?: number;
  /** Stops the watching. */
  readonly signal?: AbortSignal;
  /** A chain's checkpoint says it reached iteration `iter` with step size `stepSize`. */
  readonly onCheckpoint?: (chain: number, iter: number, stepSize: number) => void;
  /**
   * A method run (not NUTS) has started but its draws are not written yet
   * (they are, whole, when it finishes): its `start` as run.json records
   * it, with an empty `valueLayout` (the layout comes with the draws).
   * Called once, only while the method runs; the stream's own `start`
   * follows when the draws are written.
   */
  readonly onPending?: (start: StartMessage) => void;
}

/** What has been read of one chain. */
interface ChainSeen {
  size: number;
  rows: number;
  adapted: boolean;
  done: boolean;
  checkpointMtime: number;
}

const mtime = (path: string) => (existsSync(path) ? statSync(path).mtimeMs : 0);

/**
 * The messages of the run in `dir`.
 *
 * @example
 * ```ts no-run: needs a run directory being written
 * for await (const msg of tailRunDirectory("runs/eight", { follow: true })) if (msg.type === "draw") console.log(msg.chain, msg.iter);
 * ```
 */
export async function* tailRunDirectory(dir: string, options: TailOptions = {}): AsyncGenerator<SampleMessage> {
  const { follow = true, pollMs = 250, signal, onCheckpoint } = options;
  let manifest: RunManifest | undefined;
  for (;;) {
    manifest = readManifest(dir);
    if (manifest?.method !== undefined) return yield* tailMethodDirectory(dir, manifest, options);
    if (manifest !== undefined && existsSync(csvPath(dir, 1))) break;
    if (!follow) throw new Error(`${dir} is not a run directory: it has no run.json and chain-1.csv`);
    if (signal?.aborted) return;
    await sleep(pollMs, undefined, { ref: false });
  }
  const { settings, run } = manifest;
  const start = manifestStart(manifest, readStanCsvFile(csvPath(dir, 1)).layout);
  yield start;
  const seen: ChainSeen[] = Array.from({ length: settings.chains }, () => ({
    size: -1,
    rows: 0,
    adapted: false,
    done: false,
    checkpointMtime: 0,
  }));
  for (;;) {
    const finished = existsSync(join(dir, "summary.json"));
    for (let k = 1; k <= settings.chains; k++) yield* readChain(dir, k, seen[k - 1], start, onCheckpoint);
    if (finished || !follow) {
      if (finished) yield { type: "done", run };
      return;
    }
    if (signal?.aborted) return;
    await sleep(pollMs, undefined, { ref: false });
  }
}

/** The messages of chain k's new rows and blocks since `seen`. */
function* readChain(
  dir: string,
  k: number,
  seen: ChainSeen,
  start: StartMessage,
  onCheckpoint: TailOptions["onCheckpoint"],
): Generator<SampleMessage> {
  const { run, settings } = start;
  const cpTime = mtime(checkpointPath(dir, k));
  if (cpTime !== seen.checkpointMtime) {
    seen.checkpointMtime = cpTime;
    const state = readCheckpointFile(dir, k)?.state;
    if (state !== undefined) onCheckpoint?.(k, state.iter, state.stepSize);
  }
  const path = csvPath(dir, k);
  const size = existsSync(path) ? statSync(path).size : 0;
  if (size === seen.size || seen.done) return;
  seen.size = size;
  const { chain } = readStanCsvFile(path);
  const rows = chain.warmup + chain.draws;
  // A resumed run cuts its files back and writes the same rows again: rows already read are not sent twice.
  for (let r = seen.rows; r < rows; r++) {
    const warmup = r < chain.warmup;
    const iter = warmup ? r * settings.thin + 1 : settings.warmup + (r - chain.warmup) * settings.thin + 1;
    const stats = Object.fromEntries(
      STAT_NAMES.map((s) => [s, s === "divergent" ? chain.stats[s][r] !== 0 : chain.stats[s][r]]),
    ) as unknown as DrawStats;
    yield { type: "draw", run, chain: k, iter, warmup, values: chain.values.map((v) => v[r]), stats };
  }
  seen.rows = Math.max(seen.rows, rows);
  if (!seen.adapted && chain.adaptation !== undefined) {
    seen.adapted = true;
    yield { type: "adapted", run, chain: k, ...chain.adaptation };
  }
  if (chain.elapsed !== undefined) {
    seen.done = true;
    yield { type: "chainDone", run, chain: k, elapsed: chain.elapsed };
  }
}
