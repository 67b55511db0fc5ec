/**
 * One summary row per quantity, as posterior's `summarise_draws` with the
 * default measures plus MCSEs, and a text table of rows like its print.
 * @module
 */
import { type Chains, mean, sd } from "./chains.ts";
import { essBulk, essTail } from "./ess.ts";
import { mcseMean, mcseSd } from "./mcse.ts";
import { quantiles } from "./quantile.ts";
import { rhat } from "./rhat.ts";

/** Summary of one quantity's draws; NaN where posterior gives NA. */
export interface SummaryRow {
  readonly mean: number;
  readonly sd: number;
  readonly q05: number;
  readonly q50: number;
  readonly q95: number;
  readonly ess_bulk: number;
  readonly ess_tail: number;
  readonly rhat: number;
  readonly mcse_mean: number;
  readonly mcse_sd: number;
}

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
  const [q05, q50, q95] = quantiles(chains, [0.05, 0.5, 0.95]);
  return {
    mean: mean(chains),
    sd: sd(chains),
    q05,
    q50,
    q95,
    ess_bulk: essBulk(chains),
    ess_tail: essTail(chains),
    rhat: rhat(chains),
    mcse_mean: mcseMean(chains),
    mcse_sd: mcseSd(chains),
  };
}

const COLUMNS = ["mean", "sd", "q05", "q50", "q95", "ess_bulk", "ess_tail", "rhat", "mcse_mean", "mcse_sd"] as const;

/** `sig` significant digits, fixed notation unless the magnitude is extreme. */
function formatSig(x: number, sig: number): string {
  if (Number.isNaN(x)) return "NA";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  if (x === 0) return "0";
  const mag = Math.floor(Math.log10(Math.abs(x)));
  if (mag < -4 || mag >= 7) return x.toExponential(sig - 1);
  return x.toFixed(Math.max(0, sig - 1 - mag));
}

function formatCell(column: (typeof COLUMNS)[number], x: number): string {
  if (Number.isNaN(x)) return "NA";
  // ESS is a count: decimals would be noise. R-hat is read against 1.01.
  if (column === "ess_bulk" || column === "ess_tail") return Number.isFinite(x) ? Math.round(x).toString() : formatSig(x, 3);
  if (column === "rhat") return Number.isFinite(x) ? x.toFixed(3) : formatSig(x, 3);
  return formatSig(x, 3);
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
  const header = ["variable", ...COLUMNS];
  const body = rows.map(({ name, row }) => [name, ...COLUMNS.map((c) => formatCell(c, row[c]))]);
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((r) => r[j].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, j) => (j === 0 ? cell.padEnd(widths[j]) : cell.padStart(widths[j])))
      .join(" ")
      .trimEnd();
  return [line(header), ...body.map(line)].join("\n");
}
