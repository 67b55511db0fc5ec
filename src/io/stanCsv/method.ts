/**
 * Stan CSV files of the methods other than NUTS, as CmdStan writes them for
 * its `optimize`, `laplace`, `variational` and `pathfinder` methods (and, in
 * the same layout, sampo's `smc`): a comment block with `method=<method>`
 * and the settings, the method's own `__` columns, then the values in Stan's
 * column order.
 *
 * Per method, the leading columns are CmdStan's: `lp__` (optimize);
 * `log_p__, log_q__` (laplace, Stan ≥ 2.33); `lp__, log_p__, log_g__` (variational, whose
 * first row is the approximation's mean with those three columns 0, and
 * whose `lp__` is 0 on every row, as CmdStan writes it); `lp_approx__, lp__`
 * (pathfinder). SMC's columns are those its engine reports.
 *
 * The header has, besides sampo's settings (under sampo's names), two of
 * CmdStan's keys: `id=1` (CmdStan's process id, which rstan reads as the
 * chain id) and, for variational, `output_samples=<draws>`. The latter is
 * what lets rstan's `read_stan_csv` (≥ 2.19, stan-dev/rstan#604) read the
 * file: `parse_stancsv_comments` then sets iter to that count, warmup 0,
 * thin 1, and `read_stan_csv` drops the mean row (`df <- df[-1, ]`);
 * without it, `all_int_eq(warmup)` stops with "not all are integers",
 * there being no warmup in the header. So it must equal the rows after
 * the mean row, and it is written as that count. The other methods'
 * files, like CmdStan's for them, have no iter/warmup/thin, so
 * `read_stan_csv` stops at that same check (laplace's before it: it has
 * no `lp__` column), and writing sampling settings to satisfy it would
 * misdescribe them; R reads them with `read.csv(comment.char = "#")`.
 * `parse_stancsv_comments` also drops a file's last comment line when it
 * has no "Adaptation terminated" line: here that is the empty `#` line.
 * @module
 */
import type { MethodName } from "../../runtime/messages.ts";
import type { ValueLayout } from "../../tensor/layout.ts";
import { SAMPO_VERSION } from "../../version.ts";
import { stanColumns } from "./columns.ts";
import { formatFields } from "./format.ts";
import { headerValue } from "./write.ts";

/** A method other than NUTS. */
export type CsvMethod = Exclude<MethodName, "sample">;

/** CmdStan's leading columns for each method (SMC's come from its draws). */
export const METHOD_COLUMNS: Readonly<Record<Exclude<CsvMethod, "smc">, readonly string[]>> = {
  optimize: ["lp__"],
  laplace: ["log_p__", "log_q__"],
  variational: ["lp__", "log_p__", "log_g__"],
  pathfinder: ["lp_approx__", "lp__"],
};

/** What the header of a method's file records. */
export interface MethodCsvConfig {
  readonly model: string;
  readonly method: CsvMethod;
  readonly seed: number;
  /** The method's settings; scalar ones are written as `key=value` lines. */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** One row: the method's columns by name (a missing one is written 0, as CmdStan's `lp__` of variational draws) and the values in storage order. */
export interface MethodCsvRow {
  readonly columns: Readonly<Record<string, number>>;
  readonly values: ArrayLike<number>;
}

/**
 * A whole method file.
 *
 * @param config The header's settings.
 * @param layout The value layout of the rows' values.
 * @param columns The leading `__` columns, in order (see {@link METHOD_COLUMNS}).
 * @param rows The draws (variational: the mean first).
 * @returns The file text.
 */
export function methodCsv(config: MethodCsvConfig, layout: ValueLayout, columns: readonly string[], rows: readonly MethodCsvRow[]): string {
  const { names, stanToStorage } = stanColumns(layout);
  const entries: [string, unknown][] = [
    ["model", config.model],
    ["method", config.method],
    ["id", 1],
    ["sampo_version", SAMPO_VERSION],
    ["seed", config.seed],
    ...Object.entries(config.settings).filter(([, v]) => ["number", "string", "boolean"].includes(typeof v)),
    // CmdStan's count of approximate draws: the rows after the mean row (see the module notes).
    ...(config.method === "variational" ? [["output_samples", Math.max(0, rows.length - 1)] as [string, unknown]] : []),
    ["sampo_layout", JSON.stringify(layout.map((e) => ({ name: e.name, shape: e.shape, kind: e.kind })))],
  ];
  const lines = entries.map(([k, v]) => `# ${k}=${headerValue(k, v as string | number | boolean)}`);
  const body = rows.map((r) => {
    const f = columns.map((c) => r.columns[c] ?? 0);
    for (const k of stanToStorage) f.push(r.values[k]);
    return formatFields(f);
  });
  return `${lines.join("\n")}\n#\n${[...columns, ...names].join(",")}\n${body.map((l) => `${l}\n`).join("")}`;
}
