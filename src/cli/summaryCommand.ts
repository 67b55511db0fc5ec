/**
 * `sampo summary DIR`: the summary of a run's CSV files (ours, CmdStan's or
 * rstan's), with diagnostics.
 * @module
 */
import { readFit } from "../io/readFit.ts";

/** Runs `sampo summary DIR`. */
export async function summaryCommand(dir: string): Promise<void> {
  const fit = await readFit(dir);
  process.stdout.write(`${fit.summaryTable()}\n`);
  for (const w of fit.diagnostics().warnings) process.stderr.write(`warning: ${w}\n`);
}
