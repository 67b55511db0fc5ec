/**
 * A summary row and how its numbers are printed. Free of imports: the
 * dashboard's page (a browser bundle) prints with it too, so both show the
 * same digits.
 * @module
 */
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

/** The columns of a summary row, in the order tables print them. */
export const SUMMARY_COLUMNS = ["mean", "sd", "q05", "q50", "q95", "ess_bulk", "ess_tail", "rhat", "mcse_mean", "mcse_sd"] as const;

/** `sig` significant digits, fixed notation unless the magnitude is extreme. */
function formatSig(x: number, sig: number): string {
  if (Number.isNaN(x)) return "NA";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  if (x === 0) return "0";
  const mag = Math.floor(Math.log10(Math.abs(x)));
  if (mag < -4 || mag >= 7) return x.toExponential(sig - 1);
  return x.toFixed(Math.max(0, sig - 1 - mag));
}

/** One cell of a summary table as printed: the same text in the terminal, the dashboard and the report. */
export function formatSummaryCell(column: (typeof SUMMARY_COLUMNS)[number], x: number): string {
  if (Number.isNaN(x)) return "NA";
  // ESS is a count: decimals would be noise. R-hat is read against 1.01.
  if (column === "ess_bulk" || column === "ess_tail") return Number.isFinite(x) ? Math.round(x).toString() : formatSig(x, 3);
  if (column === "rhat") return Number.isFinite(x) ? x.toFixed(3) : formatSig(x, 3);
  return formatSig(x, 3);
}
