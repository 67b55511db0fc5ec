/**
 * Stan CSV files: write draws as CmdStan/rstan do (incrementally, for an
 * append-only log) and read CmdStan's, rstan's and our own files back.
 * @module
 */
export { StanCsvError } from "./error.ts";
export { formatNumber, parseNumber } from "./format.ts";
export {
  STAN_STAT_COLUMNS,
  RECOVERED_COLUMN,
  isStatColumn,
  columnMajorElements,
  stanColumns,
  parseStanColumns,
  type StanColumns,
  type ColumnMajorElements,
  type ParsedColumns,
} from "./columns.ts";
export { SAMPO_VERSION } from "../../version.ts";
export { csvHeader, csvRow, csvAdaptation, csvElapsed, stanCsv, type StanCsvConfig, type CsvRowOptions } from "./write.ts";
export { readStanCsv, type StanCsvFile } from "./read.ts";
