/**
 * A summary shared between threads: the value columns' kept draws packed in
 * shared memory, cut into chunks of columns that every taking part thread
 * claims one at a time from a shared counter, writing each column's row
 * into shared memory too. The calling thread takes part as well, so a
 * thread that is slow to start, or dies, costs time, never rows.
 * @module
 */
import type { ChainDraws } from "../../inference/draws.ts";
import { column } from "../../inference/diagnostics/report.ts";
import { SUMMARY_COLUMNS, type SummaryRow } from "../../inference/diagnostics/format.ts";
import { summarizeColumn } from "../../inference/diagnostics/summary.ts";

/** The shared summary as a thread receives it. */
export interface SummaryJob {
  readonly type: "summary";
  /** Float64: the columns' kept draws, column after column, and in each the chains one after another. */
  readonly draws: SharedArrayBuffer;
  /** Kept draws per chain. */
  readonly lengths: readonly number[];
  /** Float64: {@link SUMMARY_COLUMNS}' numbers per column, column after column. */
  readonly rows: SharedArrayBuffer;
  /** Int32: the next unclaimed chunk, then a done flag per chunk. */
  readonly control: SharedArrayBuffer;
  /** Columns per chunk (the last chunk may have fewer). */
  readonly chunk: number;
}

/** What a thread reports when it finds no chunk left to claim (the rows are in the job's shared memory). */
export interface SummaryReport {
  readonly type: "summary";
}

/** Where {@link SummaryJob.control} keeps what. */
export const SUMMARY_CONTROL = { next: 0, flags: 1 } as const;

const WIDTH = SUMMARY_COLUMNS.length;

/** Columns in a job. */
export function columnsOf(job: SummaryJob): number {
  return job.rows.byteLength / Float64Array.BYTES_PER_ELEMENT / WIDTH;
}

/** Chunks in a job. */
export function chunksOf(job: SummaryJob): number {
  return Math.ceil(columnsOf(job) / job.chunk);
}

/** The shared job for every value column of `chains` (their kept draws, copied), in chunks of `chunk` columns. */
export function summaryJob(chains: readonly ChainDraws[], columns: number, chunk: number): SummaryJob {
  const lengths = chains.map((c) => c.draws);
  const perColumn = lengths.reduce((a, b) => a + b, 0);
  const draws = new SharedArrayBuffer(columns * perColumn * Float64Array.BYTES_PER_ELEMENT);
  const packed = new Float64Array(draws);
  for (let j = 0, at = 0; j < columns; j++) {
    for (const x of column(chains, j)) {
      packed.set(x, at);
      at += x.length;
    }
  }
  const chunks = Math.ceil(columns / chunk);
  return {
    type: "summary",
    draws,
    lengths,
    rows: new SharedArrayBuffer(columns * WIDTH * Float64Array.BYTES_PER_ELEMENT),
    control: new SharedArrayBuffer((SUMMARY_CONTROL.flags + chunks) * Int32Array.BYTES_PER_ELEMENT),
    chunk,
  };
}

/** Computes chunk `k` of `job` and marks it done (computing a chunk twice writes the same rows). */
export function runChunk(job: SummaryJob, k: number): void {
  const perColumn = job.lengths.reduce((a, b) => a + b, 0);
  const draws = new Float64Array(job.draws);
  const rows = new Float64Array(job.rows);
  const end = Math.min(columnsOf(job), (k + 1) * job.chunk);
  for (let j = k * job.chunk; j < end; j++) {
    let at = j * perColumn;
    const row = summarizeColumn(job.lengths.map((n) => draws.subarray(at, (at += n))));
    for (let c = 0; c < WIDTH; c++) rows[j * WIDTH + c] = row[SUMMARY_COLUMNS[c]];
  }
  Atomics.store(new Int32Array(job.control), SUMMARY_CONTROL.flags + k, 1);
}

/** Claims and computes chunks of `job` until none is left unclaimed; returns how many it computed. */
export function workOn(job: SummaryJob): number {
  const control = new Int32Array(job.control);
  const chunks = chunksOf(job);
  let computed = 0;
  for (let k = Atomics.add(control, SUMMARY_CONTROL.next, 1); k < chunks; k = Atomics.add(control, SUMMARY_CONTROL.next, 1)) {
    runChunk(job, k);
    computed++;
  }
  return computed;
}

/** Row `j` of a job's rows. */
export function rowOf(job: SummaryJob, j: number): SummaryRow {
  const rows = new Float64Array(job.rows, j * WIDTH * Float64Array.BYTES_PER_ELEMENT, WIDTH);
  const row: Record<string, number> = {};
  for (let c = 0; c < WIDTH; c++) row[SUMMARY_COLUMNS[c]] = rows[c];
  return row as unknown as SummaryRow;
}
