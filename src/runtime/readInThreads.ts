/**
 * Stan CSV files read on every core: a run's chain files are independent,
 * so once they are large, pool threads (idle chain threads, or started)
 * read and parse some while this thread reads the others. Parsing, not the
 * disk, is what costs (about 70 MB/s per thread against several hundred
 * from the disk), so this scales with the cores until the disk is the limit.
 * @module
 */
import { statSync } from "node:fs";
import type { StanCsvFile } from "../io/stanCsv/index.ts";
import { cores } from "./cores.ts";
import { threadPool } from "./workers/pool.ts";
import { readCsvFile, type ReadReport } from "./workers/readJob.ts";

/**
 * Bytes in all below which this thread reads every file: a thread costs
 * about 0.1–0.3 s to start here, what reading 10–20 MB costs.
 */
const MIN_SHARED_BYTES = 32e6;

/** Options of {@link readCsvFiles}. */
export interface ReadThreadsOptions {
  /** Threads in all, this one included; default: the machine's cores. */
  readonly threads?: number;
  /** Share the work even when the files are small (tests). */
  readonly always?: boolean;
}

/**
 * Reads whole Stan CSV files (as `readWholeStanCsv` of each), in order,
 * spread over the machine's cores. A file that fails to read fails as it
 * would in one thread, with the same typed error; a thread that dies costs
 * time (this thread reads its files), never a file.
 */
export async function readCsvFiles(paths: readonly string[], opts: ReadThreadsOptions = {}): Promise<StanCsvFile[]> {
  const threads = Math.min(paths.length, Math.max(1, Math.floor(opts.threads ?? cores())));
  const bytes = () => paths.reduce((n, p) => n + statSync(p).size, 0);
  if (threads === 1 || (opts.always !== true && bytes() < MIN_SHARED_BYTES)) return paths.map(readCsvFile);

  // File i goes to thread i mod threads; thread 0 is this one.
  const shares = Array.from({ length: threads }, (_, t) => paths.flatMap((_p, i) => (i % threads === t ? [i] : [])));
  const elsewhere = shares.slice(1).map((share) => readElsewhere(share.map((i) => paths[i])));
  const files: StanCsvFile[] = [];
  for (const i of shares[0]) files[i] = readCsvFile(paths[i]);
  const reported = await Promise.all(elsewhere);
  for (const [t, share] of shares.slice(1).entries()) {
    for (const [j, i] of share.entries()) files[i] = reported[t]?.[j] ?? readCsvFile(paths[i]);
  }
  return files;
}

/** Has a pool thread read `paths`: its files (`undefined` where one failed), or `undefined` if the thread died. */
function readElsewhere(paths: readonly string[]): Promise<ReadReport["files"] | undefined> {
  const thread = threadPool.take();
  return new Promise((resolve) => {
    thread.runTask(
      { type: "read", paths },
      {
        report: (r) => {
          threadPool.give(thread);
          resolve(r.type === "read" ? r.files : undefined);
        },
        died: () => resolve(undefined),
      },
    );
  });
}
