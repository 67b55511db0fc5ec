/**
 * A run's summary computed on every core: the value columns are split into
 * as many ranges as there are cores; the pool's chain threads (warm after a
 * run) take all ranges but the first, which this thread computes meanwhile.
 * Each column's summary is the same function of the same draws either way,
 * so the rows are those of `summarize`, bit for bit. The browser build uses
 * `summaryInThreads.browser.ts` (this thread only) in its place.
 * @module
 */
import type { ChainDraws } from "../inference/draws.ts";
import { column, type NamedSummaryRow, summarize } from "../inference/diagnostics/report.ts";
import { summarizeColumn } from "../inference/diagnostics/summary.ts";
import { elementNames, type ValueLayout } from "../tensor/layout.ts";
import { cores } from "./cores.ts";
import { threadPool } from "./workers/pool.ts";
import { runSummaryJob, summaryJob, unpackRow } from "./workers/summaryJob.ts";

/**
 * Kept draws (columns × draws per column) below which one thread does it
 * all: 100 columns of 4 × 1000 draws take about 50–100 ms here, about what
 * handing work to a thread and back costs when the thread has to start.
 */
const MIN_DRAWS_PER_RANGE = 400_000;

/** Options of {@link summarizeInThreads}. */
export interface SummaryThreadsOptions {
  /** Threads in all, this one included; default: the machine's cores. */
  readonly threads?: number;
  /** Split into ranges even when the columns are few (tests). */
  readonly always?: boolean;
}

/**
 * `summarize(layout, chains)` spread over threads: the same rows, in less
 * time on a machine with several cores once the columns are many.
 *
 * A range whose thread dies (out of memory, terminated) is computed here
 * instead, so the result is complete either way.
 *
 * @example
 * ```ts
 * const fit = await sample(eightSchools, data, { seed: 1 });
 * const rows = await summarizeInThreads(fit.valueLayout, fit.chains);
 * rows[0].ess_bulk; // fit.summary()[0].ess_bulk, computed on every core
 * ```
 */
export async function summarizeInThreads(
  layout: ValueLayout,
  chains: readonly ChainDraws[],
  opts: SummaryThreadsOptions = {},
): Promise<NamedSummaryRow[]> {
  const names = elementNames(layout);
  const perColumn = chains.reduce((n, c) => n + c.draws, 0);
  const wanted = Math.max(1, Math.floor(opts.threads ?? cores()));
  const ranges = Math.min(
    wanted,
    names.length,
    opts.always === true ? Infinity : Math.floor((names.length * perColumn) / MIN_DRAWS_PER_RANGE),
  );
  if (ranges <= 1 || perColumn === 0) return summarize(layout, chains);
  const bounds = Array.from({ length: ranges + 1 }, (_, k) => Math.round((k * names.length) / ranges));
  // The other ranges first, so that the threads work while this one computes the first range.
  const others = bounds.slice(1, -1).map((from, k) => inThread(chains, from, bounds[k + 2]));
  const rows: NamedSummaryRow[] = [];
  for (let j = 0; j < bounds[1]; j++) rows.push({ name: names[j], ...summarizeColumn(column(chains, j)) });
  for (const [k, pending] of others.entries()) {
    const from = bounds[k + 1];
    const packed = (await pending) ?? runSummaryJob(summaryJob(chains, from, bounds[k + 2]));
    for (let j = from; j < bounds[k + 2]; j++) rows.push({ name: names[j], ...unpackRow(packed, j - from) });
  }
  return rows;
}

/** Columns `from` … `to − 1` summarized in a pool thread: their packed rows, or undefined if the thread died. */
function inThread(chains: readonly ChainDraws[], from: number, to: number): Promise<Float64Array | undefined> {
  return new Promise((resolve) => {
    const thread = threadPool.take();
    thread.runSummary(summaryJob(chains, from, to), {
      report: (r) => {
        threadPool.give(thread);
        resolve(r.type === "summary" ? r.rows : undefined);
      },
      died: () => resolve(undefined),
    });
  });
}
