/**
 * The chains' colours, the same in every plot and table of the dashboard and
 * the report (and what the page tests look for in a drawn canvas).
 * @module
 */

/** The palette, chain 1 first; more chains cycle through it. */
export const CHAIN_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"] as const;

/** Chain k's colour (1-based). */
export function chainColor(k: number): string {
  return CHAIN_COLORS[(k - 1) % CHAIN_COLORS.length];
}
