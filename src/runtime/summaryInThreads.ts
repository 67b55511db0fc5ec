/**
 * A summary computed on every core, synchronously, so that it can stand in
 * for `summarize` wherever a run is over (`Fit.summary()`, `summary.json`,
 * the CLI's table): the pool's chain threads, idle once the chains are done,
 * and this thread share the columns through shared memory (summaryJob.ts).
 * This thread never waits: once no chunk is left to claim, it computes
 * those still in progress elsewhere too. Each column's row is the same
 * function of the same draws in any thread, so the rows are `summarize`'s,
 * bit for bit, and the whole takes at most about one thread's time. The
 * browser build uses `summaryInThreads.browser.ts` (this thread only) in
 * its place.
 * @module
 */
import type { ChainDraws } from "../inference/draws.ts";
import { type NamedSummaryRow, summarize } from "../inference/diagnostics/report.ts";
import { elementNames, type ValueLayout } from "../tensor/layout.ts";
import { cores } from "./cores.ts";
import { threadPool } from "./workers/pool.ts";
import { chunksOf, rowOf, runChunk, SUMMARY_CONTROL, type SummaryJob, summaryJob, workOn } from "./workers/summaryJob.ts";

/**
 * Kept draws (columns × draws per column) below which this thread does it
 * all: 100 columns of 4 × 1,000 draws take about 50–100 ms on one core here,
 * about what starting a thread costs.
 */
const MIN_SHARED_DRAWS = 400_000;

/** Columns per chunk: small enough that the threads finish together, large enough that claiming costs nothing. */
const CHUNK = 16;

/** Options of {@link summarizeInThreads}. */
export interface SummaryThreadsOptions {
  /** Threads in all, this one included; default: the machine's cores. */
  readonly threads?: number;
  /** Share the work even when the columns are few (tests). */
  readonly always?: boolean;
}

/**
 * The rows last computed for a chains array, with its layout: a run
 * directory's `summary.json` and the CLI's table of the same chains cost
 * one summary.
 */
const computed = new WeakMap<readonly ChainDraws[], { readonly layout: ValueLayout; readonly rows: readonly NamedSummaryRow[] }>();

/**
 * `summarize(layout, chains)` spread over the machine's cores: the same
 * rows, in about 1/cores of the time once the columns are many. Called
 * again with the same `layout` and `chains` objects, it returns the rows
 * it computed then.
 *
 * @example
 * ```ts
 * const fit = await sample(eightSchools, data, { seed: 1 });
 * const rows = summarizeInThreads(fit.valueLayout, fit.chains);
 * rows[0].ess_bulk; // fit.summary()[0].ess_bulk
 * ```
 */
export function summarizeInThreads(
  layout: ValueLayout,
  chains: readonly ChainDraws[],
  opts: SummaryThreadsOptions = {},
): readonly NamedSummaryRow[] {
  const known = computed.get(chains);
  if (known?.layout === layout) return known.rows;
  const rows = summarizeOnce(layout, chains, opts);
  computed.set(chains, { layout, rows });
  return rows;
}

function summarizeOnce(layout: ValueLayout, chains: readonly ChainDraws[], opts: SummaryThreadsOptions): NamedSummaryRow[] {
  const names = elementNames(layout);
  const perColumn = chains.reduce((n, c) => n + c.draws, 0);
  const threads = Math.max(1, Math.floor(opts.threads ?? cores()));
  const enough = opts.always === true || names.length * perColumn >= MIN_SHARED_DRAWS;
  // Chains of unequal length: summarize says so, as the rows of every column would.
  const even = chains.every((c) => c.draws === chains[0]?.draws);
  if (threads === 1 || !enough || !even || perColumn === 0 || names.length <= 1) return summarize(layout, chains);

  const job = summaryJob(chains, names.length, CHUNK);
  const chunks = chunksOf(job);
  enlist(job, Math.min(threads, chunks) - 1);
  workOn(job);
  finishShared(job);
  return names.map((name, j) => ({ name, ...rowOf(job, j) }));
}

type PoolThread = ReturnType<typeof threadPool.take>;

/**
 * Pool threads taking part in summaries, with how many summaries each was
 * given and has not yet reported on. Summaries called one after another
 * without a turn of the event loop (which brings the reports) reuse them:
 * a thread takes its summaries in order.
 */
const helpers = new Map<PoolThread, number>();

/** Gives `job` to `count` threads: the helpers first, then threads from the pool. */
function enlist(job: SummaryJob, count: number): void {
  const threads = [...helpers.keys()].slice(0, count);
  while (threads.length < count) threads.push(threadPool.take());
  for (const thread of threads) {
    helpers.set(thread, (helpers.get(thread) ?? 0) + 1);
    thread.runTask(job, { report: () => release(thread), died: () => helpers.delete(thread) });
  }
}

/** A thread reported on a summary: back to the pool once it has none left. */
function release(thread: PoolThread): void {
  const left = (helpers.get(thread) ?? 1) - 1;
  if (left > 0) return void helpers.set(thread, left);
  helpers.delete(thread);
  thread.detach();
  threadPool.give(thread);
}

/**
 * Computes here each chunk of `job` not done yet: those a thread still works
 * on too (it writes the same rows), rather than wait for a thread that may
 * be slow (a fresh thread runs its first chunks unoptimized) or dead.
 */
export function finishShared(job: SummaryJob): void {
  const control = new Int32Array(job.control);
  const chunks = chunksOf(job);
  for (let k = 0; k < chunks; k++) if (Atomics.load(control, SUMMARY_CONTROL.flags + k) === 0) runChunk(job, k);
}
