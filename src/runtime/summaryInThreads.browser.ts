/**
 * The browser build's `summaryInThreads.ts`: a page computes its summaries
 * in its own thread (its Web Workers take chain jobs only).
 * @module
 */
import type { ChainDraws } from "../inference/draws.ts";
import { type NamedSummaryRow, summarize } from "../inference/diagnostics/report.ts";
import type { ValueLayout } from "../tensor/layout.ts";
import type { SummaryThreadsOptions } from "./summaryInThreads.ts";

/** `summarize(layout, chains)`, in this thread; `opts` is accepted for the Node version's signature. */
export function summarizeInThreads(
  layout: ValueLayout,
  chains: readonly ChainDraws[],
  _opts: SummaryThreadsOptions = {},
): readonly NamedSummaryRow[] {
  return summarize(layout, chains);
}
