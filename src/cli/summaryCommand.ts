/**
 * `sampo summary DIR`: the summary of a run's CSV files (ours, CmdStan's or
 * rstan's), with diagnostics.
 * @module
 */
import { readFit } from "../fit/readFit.ts";
import { printFit } from "./printFit.ts";

/** Runs `sampo summary DIR`. */
export async function summaryCommand(dir: string): Promise<void> {
  printFit(await readFit(dir));
}
