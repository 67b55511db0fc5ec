/**
 * A summary job: the summary rows of a range of value columns, computed in
 * a pool thread. The columns' kept draws travel packed in one transferred
 * buffer, and the rows come back the same way, so neither side copies
 * objects per column (a wide run has thousands of columns of thousands of
 * draws).
 * @module
 */
import type { ChainDraws } from "../../inference/draws.ts";
import { column } from "../../inference/diagnostics/report.ts";
import { SUMMARY_COLUMNS, type SummaryRow } from "../../inference/diagnostics/format.ts";
import { summarizeColumn } from "../../inference/diagnostics/summary.ts";

/** The summaries of some value columns, as a thread receives them. */
export interface SummaryJob {
  readonly type: "summary";
  /** The columns' kept draws: column after column, and in each the chains one after another. */
  readonly draws: Float64Array<ArrayBuffer>;
  /** Kept draws per chain. */
  readonly lengths: readonly number[];
}

/** What a thread reports for a {@link SummaryJob}: {@link SUMMARY_COLUMNS}' numbers per column, column after column. */
export interface SummaryReport {
  readonly type: "summary";
  readonly rows: Float64Array<ArrayBuffer>;
}

const WIDTH = SUMMARY_COLUMNS.length;

/** The job for value columns `from` … `to − 1` of `chains` (their kept draws, copied). */
export function summaryJob(chains: readonly ChainDraws[], from: number, to: number): SummaryJob {
  const lengths = chains.map((c) => c.draws);
  const perColumn = lengths.reduce((a, b) => a + b, 0);
  const draws = new Float64Array((to - from) * perColumn);
  for (let j = from, at = 0; j < to; j++) {
    for (const x of column(chains, j)) {
      draws.set(x, at);
      at += x.length;
    }
  }
  return { type: "summary", draws, lengths };
}

/** Runs a job: the rows of its columns, packed. */
export function runSummaryJob(job: SummaryJob): Float64Array<ArrayBuffer> {
  const perColumn = job.lengths.reduce((a, b) => a + b, 0);
  const columns = perColumn === 0 ? 0 : job.draws.length / perColumn;
  const rows = new Float64Array(columns * WIDTH);
  for (let j = 0; j < columns; j++) {
    let at = j * perColumn;
    const chains = job.lengths.map((n) => job.draws.subarray(at, (at += n)));
    const row = summarizeColumn(chains);
    for (let k = 0; k < WIDTH; k++) rows[j * WIDTH + k] = row[SUMMARY_COLUMNS[k]];
  }
  return rows;
}

/** Row `j` of a report's packed rows. */
export function unpackRow(rows: Float64Array, j: number): SummaryRow {
  const row: Record<string, number> = {};
  for (let k = 0; k < WIDTH; k++) row[SUMMARY_COLUMNS[k]] = rows[j * WIDTH + k];
  return row as unknown as SummaryRow;
}
