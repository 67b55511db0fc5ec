/**
 * One summary row per quantity, as posterior's `summarise_draws` with the
 * default measures plus MCSEs, and a text table of rows like its print.
 * @module
 */
import type { Chains } from "./chains.ts";
import { pooled } from "./column.ts";
import { formatSummaryCell, SUMMARY_COLUMNS, type SummaryRow } from "./format.ts";

/**
 * Summarizes one quantity's chains (chains × draws, equal lengths).
 *
 * @example
 * ```ts
 * const row = summarizeColumn([chain1, chain2, chain3, chain4]);
 * row.rhat < 1.01 && row.ess_bulk > 400; // converged enough to report
 * ```
 */
export function summarizeColumn(chains: Chains): SummaryRow {
  // One pooled column: the sort, the ranks and the sd are computed once for all measures.
  const column = pooled(chains);
  return {
    mean: column.mean(),
    sd: column.sd(),
    q05: column.quantile(0.05),
    q50: column.quantile(0.5),
    q95: column.quantile(0.95),
    ess_bulk: column.essBulk(),
    ess_tail: column.essTail(),
    rhat: column.rhat(),
    mcse_mean: column.mcseMean(),
    mcse_sd: column.mcseSd(),
  };
}

/**
 * Renders rows as an aligned text table (names left, numbers right), with
 * three significant digits for estimates and MCSEs, whole ESS and R-hat to
 * three decimals, NA for undefined values; like posterior's printed summary.
 *
 * @example
 * ```ts
 * console.log(formatSummaryTable([{ name: "mu", row: summarizeColumn([chain1, chain2, chain3, chain4]) }]));
 * // variable  mean    sd   q05   q50  q95 ess_bulk ess_tail  rhat mcse_mean mcse_sd
 * // mu        4.43  3.23 -0.888  4.43 9.73    25329    14621 1.000    0.0204  0.0251
 * ```
 */
export function formatSummaryTable(rows: readonly { name: string; row: SummaryRow }[]): string {
  const header = ["variable", ...SUMMARY_COLUMNS];
  const body = rows.map(({ name, row }) => [name, ...SUMMARY_COLUMNS.map((c) => formatSummaryCell(c, row[c]))]);
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((r) => r[j].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, j) => (j === 0 ? cell.padEnd(widths[j]) : cell.padStart(widths[j])))
      .join(" ")
      .trimEnd();
  return [line(header), ...body.map(line)].join("\n");
}
