/**
 * Stan CSV files read and parsed in a chain worker thread: the parsed
 * columns come back to the calling thread without a copy (their buffers are
 * transferred). A file the thread cannot read is reported as such, and the
 * calling thread reads it itself, which throws the typed error a read in
 * one thread throws.
 * @module
 */
import { readFileSync } from "node:fs";
import type { StanCsvFile } from "../../io/stanCsv/index.ts";
import { readWholeStanCsv } from "../../io/stanCsv/whole.ts";

/** Files for a thread to read. */
export interface ReadJob {
  readonly type: "read";
  readonly paths: readonly string[];
}

/** What a thread reports on a {@link ReadJob}: per path, the file, or `undefined` where reading it failed. */
export interface ReadReport {
  readonly type: "read";
  readonly files: readonly (StanCsvFile | undefined)[];
}

/** Reads `path` whole, as `readFit` does in one thread. */
export function readCsvFile(path: string): StanCsvFile {
  return readWholeStanCsv(readFileSync(path), path);
}

/** Reads the job's files; the report and the buffers to transfer with it (each once). */
export function readOn(job: ReadJob): { readonly report: ReadReport; readonly transfer: ArrayBuffer[] } {
  const files = job.paths.map((path) => {
    try {
      return readCsvFile(path);
    } catch {
      return undefined;
    }
  });
  const buffers = new Set<ArrayBuffer>();
  for (const f of files) {
    if (f === undefined) continue;
    const arrays = [...f.chain.values, ...Object.values(f.chain.stats), ...Object.values(f.columns)];
    for (const a of arrays) if (a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  }
  return { report: { type: "read", files }, transfer: [...buffers] };
}
