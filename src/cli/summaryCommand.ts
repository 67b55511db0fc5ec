/**
 * `sampo summary DIR`: the summary of a run's CSV files (ours, CmdStan's or
 * rstan's), with diagnostics.
 * @module
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { formatSummaryTable } from "../inference/diagnostics/summary.ts";
import { diagnose, summarize } from "../inference/report.ts";
import { readStanCsvFile } from "../io/stanCsv/index.ts";

/** Runs `sampo summary DIR`. */
export async function summaryCommand(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((f) => /^chain-\d+\.csv$/.test(f)).sort((a, b) => parseInt(a.slice(6), 10) - parseInt(b.slice(6), 10));
  if (names.length === 0) throw new Error(`${dir}: no chain-<k>.csv files`);
  const files = await Promise.all(names.map((f) => readStanCsvFile(join(dir, f))));
  const layout = files[0].layout;
  for (const [i, f] of files.entries()) {
    if (JSON.stringify(f.layout) !== JSON.stringify(layout)) throw new Error(`${names[i]}: its columns differ from ${names[0]}'s`);
    if (f.truncated) process.stderr.write(`warning: ${names[i]} ends with a cut line, which was dropped\n`);
  }
  const chains = files.map((f) => f.chain);
  const rows = summarize(layout, chains);
  process.stdout.write(`${formatSummaryTable(rows.map(({ name, ...row }) => ({ name, row })))}\n`);
  const maxDepth = Number(files[0].config.max_treedepth ?? files[0].config.max_depth ?? 10);
  for (const w of diagnose(chains, rows, maxDepth).warnings) process.stderr.write(`warning: ${w}\n`);
}
