/**
 * How the CLI reports a fit: the summary table on stdout, diagnostics
 * warnings on stderr.
 * @module
 */
import type { Fit } from "../fit/fit.ts";

/** Prints `fit`'s summary table to stdout and its warnings to stderr. */
export function printFit(fit: Fit): void {
  process.stdout.write(`${fit.summaryTable()}\n`);
  for (const w of fit.diagnostics().warnings) process.stderr.write(`warning: ${w}\n`);
}
