/**
 * A Stan CSV file read as a finished result (what `readFit` and `sampo
 * summary` report), where {@link readStanCsv} tolerates what a running or
 * killed writer leaves (the run directory's own readers need that): here a
 * partial last line is an error, as in Stan's readers, and so is a finished
 * sampling file of sampo's whose number of rows is not what its header
 * records (a row lost or repeated).
 * @module
 */
import { StanCsvError } from "./error.ts";
import { readStanCsv, type StanCsvFile } from "./read.ts";

/** A non-negative integer config value, or undefined. */
function count(config: Readonly<Record<string, string>>, key: string): number | undefined {
  const v = config[key];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/**
 * The rows a finished sampling file of sampo's must hold by its header
 * (saved warm-up, then draws, each thinned), or undefined when the file is
 * not one (another writer's, another method's, not finished: no elapsed block).
 */
function expectedRows(f: StanCsvFile): { warmup: number; draws: number } | undefined {
  const { config, chain } = f;
  if (config.sampo_version === undefined || config.method !== "sample" || chain.elapsed === undefined) return undefined;
  const warmup = count(config, "warmup");
  const draws = count(config, "num_samples");
  const thin = count(config, "thin");
  const saved = count(config, "save_warmup");
  if (warmup === undefined || draws === undefined || thin === undefined || thin === 0 || saved === undefined) return undefined;
  return { warmup: saved === 0 ? 0 : Math.ceil(warmup / thin), draws: Math.ceil(draws / thin) };
}

/**
 * Reads a Stan CSV file that must be whole.
 *
 * @param input The file's text or UTF-8 bytes.
 * @param file Its name, for errors.
 * @throws StanCsvError (naming the file, and the line when there is one) for
 *   anything {@link readStanCsv} refuses, a last line without its newline, or
 *   a finished sampling file of sampo's with rows missing or repeated.
 */
export function readWholeStanCsv(input: string | Uint8Array, file: string): StanCsvFile {
  const f = readStanCsv(input, file);
  if (f.truncated) throw new StanCsvError("the file ends inside this line (its writer was stopped mid-row?)", f.lines + 1, file);
  const expected = expectedRows(f);
  const { warmup, draws } = f.chain;
  if (expected !== undefined && (expected.warmup !== warmup || expected.draws !== draws)) {
    throw new StanCsvError(
      `${warmup} warm-up and ${draws} sampling rows where the header's settings make ${expected.warmup} and ${expected.draws}: rows were lost or repeated`,
      undefined,
      file,
    );
  }
  return f;
}
