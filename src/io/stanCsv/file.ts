/**
 * A Stan CSV file read from disk, for Node: the one way sampo's run and
 * method directories are read back, so that every error names its file.
 * @module
 */
import { readFileSync } from "node:fs";
import { readStanCsv, type StanCsvFile } from "./read.ts";

/**
 * Reads the Stan CSV file at `path` ({@link readStanCsv} of its bytes, which
 * it reads faster than text), naming the file in any StanCsvError.
 *
 * @example
 * ```ts no-run: reads a chain file written by `sampo sample … --out out`
 * const { layout, chain } = readStanCsvFile("out/chain-1.csv");
 * ```
 */
export function readStanCsvFile(path: string): StanCsvFile {
  return readStanCsv(readFileSync(path), path);
}
