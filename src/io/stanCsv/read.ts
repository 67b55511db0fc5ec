/**
 * Reading Stan CSV files (CmdStan's, rstan's, ours) back into chain draws.
 * @module
 */
import { STAT_NAMES, type Adaptation, type ChainDraws, type DrawStats } from "../../inference/draws.ts";
import { isStatColumn, parseStanColumns, RECOVERED_COLUMN, STAN_STAT_COLUMNS, stanColumns } from "./columns.ts";
import { StanCsvError } from "./error.ts";
import { parseNumber } from "./format.ts";
import { linesOf } from "./lines.ts";
import type { ValueEntry } from "../../tensor/layout.ts";
import { type ValueLayout } from "../../tensor/layout.ts";

/** What {@link readStanCsv} found in a file. */
export interface StanCsvFile {
  /**
   * The `key=value` comments before the column line, by key (first occurrence
   * wins). rstan's `# key=value` and CmdStan's indented `#   key = value (Default)`
   * are both read; CmdStan's nesting is flattened to the last key (`num_samples`).
   */
  readonly config: Record<string, string>;
  /** The value layout: the file's `sampo_layout` if present and consistent, else parsed from column names. */
  readonly layout: ValueLayout;
  /** The draws; `warmup` rows are the saved warm-up rows. */
  readonly chain: ChainDraws;
  /** Whether the file ended mid-line (a writer killed mid-write); that partial line was dropped. */
  readonly truncated: boolean;
  /** The number of complete lines (a partial last line is line `lines + 1`). */
  readonly lines: number;
  /** The `__` columns that are not NUTS's statistics (another method's, e.g. `lp_approx__`, `log_g__`), by name. */
  readonly columns: Readonly<Record<string, Float64Array>>;
}

const STAT_OF_COLUMN: Readonly<Record<string, keyof DrawStats>> = {
  lp__: "lp",
  accept_stat__: "acceptStat",
  stepsize__: "stepSize",
  treedepth__: "treeDepth",
  n_leapfrog__: "nLeapfrog",
  divergent__: "divergent",
  energy__: "energy",
  [RECOVERED_COLUMN]: "recovered",
};

/** The text of a comment line after `#`, trimmed. */
function commentText(line: string): string {
  return line.replace(/^#/, "").trim();
}

/** A comma-separated line of numbers (an inverse-metric line), or undefined. */
function numberList(text: string): number[] | undefined {
  if (text.length === 0) return [];
  const out: number[] = [];
  for (const f of text.split(",")) {
    const x = parseNumber(f);
    if (x === undefined) return undefined;
    out.push(x);
  }
  return out;
}

/** An integer config value, or undefined. */
function intOf(config: Record<string, string>, ...keys: string[]): number | undefined {
  for (const k of keys) {
    const v = config[k];
    if (v === undefined) continue;
    const x = parseNumber(v);
    if (x !== undefined && Number.isInteger(x)) return x;
  }
  return undefined;
}

/** The layout in a `sampo_layout` comment if it matches the value columns exactly. */
function headerLayout(json: string | undefined, columns: readonly string[]): ValueLayout | undefined {
  if (json === undefined) return undefined;
  let plain: unknown;
  try {
    plain = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(plain)) return undefined;
  const layout: ValueEntry[] = [];
  let offset = 0;
  for (const e of plain as unknown[]) {
    const { name, shape, kind } = (e ?? {}) as { name?: unknown; shape?: unknown; kind?: unknown };
    if (typeof name !== "string" || !Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) return undefined;
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    layout.push({ name, shape: shape as number[], offset, size, kind: kind === "deterministic" ? "deterministic" : "parameter" });
    offset += size;
  }
  let names: readonly string[];
  try {
    names = stanColumns(layout).names;
  } catch {
    return undefined;
  }
  if (names.length !== columns.length || names.some((n, k) => n !== columns[k])) return undefined;
  return layout;
}

/**
 * A data line's numbers by one `JSON.parse`, which parses them inside the
 * engine with the same correct rounding as `Number`, when the line is exactly
 * `count` plain JSON numbers; undefined otherwise (`nan`, `inf`, `+1`, `.5`, a
 * field too many), for the field-by-field reading and its errors.
 */
function jsonRow(line: string, count: number): number[] | undefined {
  let xs: unknown;
  try {
    xs = JSON.parse(`[${line}]`);
  } catch {
    return undefined;
  }
  if (!Array.isArray(xs) || xs.length !== count) return undefined;
  for (let k = 0; k < count; k++) if (typeof xs[k] !== "number") return undefined;
  return xs as number[];
}

/** Rows per block of {@link DataRows.transpose}: their cache lines stay hot from one column to the next. */
const TRANSPOSE_BLOCK = 64;

/**
 * The data rows, one after another in one typed array sized for every line
 * after the column line: the arrays `JSON.parse` returns die young instead of
 * piling up on the heap, which costs the collector more than the parsing.
 */
class DataRows {
  private readonly data: Float64Array;
  count = 0;

  constructor(
    private readonly width: number,
    capacity: number,
  ) {
    this.data = new Float64Array(width * capacity);
  }

  push(row: ArrayLike<number>): void {
    this.data.set(row, this.count++ * this.width);
  }

  /** Copies field `fields[j]` of every row into `columns[j]`, a block of rows at a time. */
  transpose(fields: readonly number[], columns: readonly Float64Array[]): void {
    const { data, width, count } = this;
    for (let t0 = 0; t0 < count; t0 += TRANSPOSE_BLOCK) {
      const t1 = Math.min(count, t0 + TRANSPOSE_BLOCK);
      for (let j = 0; j < fields.length; j++) {
        const k = fields[j];
        const col = columns[j];
        for (let t = t0; t < t1; t++) col[t] = data[t * width + k];
      }
    }
  }
}

/**
 * Parses a Stan CSV file of one chain (CmdStan's, rstan's, or one written
 * with `csvHeader`/`csvRow`).
 *
 * - Config: the comment lines before the column line, as `key=value`.
 * - Columns: `__` columns are sampler statistics (Stan's seven and sampo's
 *   `recovered__`; a missing one reads as NaN, a missing `recovered__` as 0;
 *   others are ignored); the rest are values, converted from Stan's
 *   column-major order back to our row-major storage.
 * - Warm-up vs sampling rows: rows before `# Adaptation terminated` are
 *   warm-up. Without that block (a run killed during warm-up, or a
 *   non-adaptive run) the header decides: `save_warmup` ? ceil(warmup / thin) : 0
 *   rows, with warmup from `warmup` or `num_warmup`.
 * - Adaptation block: step size and the inverse metric (diagonal, or dense rows).
 * - Elapsed block: warm-up and sampling seconds.
 * - Damage: CRLF line ends and a byte-order mark are accepted. A last line
 *   without its newline is dropped and `truncated` set (a row cut mid-number
 *   can look complete, so a file whose writer omitted the final newline
 *   loses its last row too); any other malformed row is an error, and so is
 *   a sampling file of sampo's without its `sampo_layout` comment, with
 *   columns that disagree with it, without one of Stan's statistics columns
 *   or with a `__` column it never writes.
 *
 * @param input The file's text, or its bytes (UTF-8), which read faster:
 *   `readStanCsv(readFileSync(path))` skips decoding the whole file.
 * @param file The file's name, for errors.
 * @returns Config, layout, draws and the truncation flag.
 * @throws StanCsvError when there is no column line, or a complete row has the
 *   wrong number of fields or a field that is not a number.
 */
export function readStanCsv(input: string | Uint8Array, file?: string): StanCsvFile {
  const lines = linesOf(input);
  const { truncated } = lines;

  const configMap = new Map<string, string>();
  let header: string[] | undefined;
  let headerLine = 0;
  let rows = new DataRows(0, 0);
  let adaptAt: number | undefined;
  let stepSize: number | undefined;
  let invMetric: number[] | number[][] | undefined;
  let dense = false;
  let expectMetric = false;
  const elapsed: { warmup?: number; sampling?: number } = {};

  for (let i = 0; i < lines.count; i++) {
    if (header && !lines.isComment(i)) {
      const row = jsonRow(lines.text(i), header.length);
      if (row) {
        expectMetric = false;
        rows.push(row);
        continue;
      }
    }
    const text = lines.text(i);
    const line = text.endsWith("\r") ? text.slice(0, -1) : text;
    const lineNo = i + 1;
    if (line.trim().length === 0) continue;
    if (line.startsWith("#")) {
      const c = commentText(line);
      if (!header) {
        const eq = c.indexOf("=");
        if (eq > 0) {
          const key = c.slice(0, eq).trim();
          let value = c
            .slice(eq + 1)
            .replace(/\(Default\)\s*$/, "")
            .trim();
          if (key !== "sampo_layout") value = value.replace(/\\u003d/g, "=");
          if (!configMap.has(key)) configMap.set(key, value);
        }
        continue;
      }
      if (c === "Adaptation terminated") {
        adaptAt = rows.count;
        continue;
      }
      const step = /^Step size\s*=\s*(\S+)$/.exec(c);
      if (step) {
        stepSize = parseNumber(step[1]);
        continue;
      }
      if (c.startsWith("Diagonal elements of inverse mass matrix")) {
        expectMetric = true;
        dense = false;
        continue;
      }
      if (c.startsWith("Elements of inverse mass matrix")) {
        expectMetric = true;
        dense = true;
        invMetric = [];
        continue;
      }
      const time = /^(?:Elapsed Time:\s*)?(\S+) seconds \((Warm-up|Sampling)\)$/.exec(c);
      if (time) {
        const t = parseNumber(time[1]);
        if (t !== undefined) elapsed[time[2] === "Warm-up" ? "warmup" : "sampling"] = t;
        continue;
      }
      if (expectMetric) {
        const xs = numberList(c);
        if (xs === undefined) {
          expectMetric = false;
        } else if (!dense) {
          invMetric = xs;
          expectMetric = false;
        } else {
          const m = invMetric as number[][];
          m.push(xs);
          if (m.length >= xs.length) expectMetric = false;
        }
      }
      continue;
    }
    expectMetric = false;
    if (!header) {
      header = line.split(",").map((s) => s.trim());
      headerLine = lineNo;
      rows = new DataRows(header.length, lines.count - lineNo);
      continue;
    }
    const fields = line.split(",");
    if (fields.length !== header.length) {
      throw new StanCsvError(`${fields.length} fields where the column line (line ${headerLine}) has ${header.length}`, lineNo, file);
    }
    const row = new Array<number>(fields.length);
    for (let k = 0; k < fields.length; k++) {
      const x = parseNumber(fields[k]);
      if (x === undefined) throw new StanCsvError(`column "${header[k]}": "${fields[k]}" is not a number`, lineNo, file);
      row[k] = x;
    }
    rows.push(row);
  }
  if (!header) throw new StanCsvError("no column line (every line is a comment)", undefined, file);
  const config: Record<string, string> = Object.fromEntries(configMap);

  const statCols: Partial<Record<keyof DrawStats, number>> = {};
  const valueCols: number[] = [];
  const otherCols: number[] = [];
  header.forEach((name, k) => {
    if (!isStatColumn(name)) valueCols.push(k);
    else if (Object.hasOwn(STAT_OF_COLUMN, name) && statCols[STAT_OF_COLUMN[name]] === undefined) statCols[STAT_OF_COLUMN[name]] = k;
    else otherCols.push(k);
  });
  const valueNames = valueCols.map((k) => header[k]);
  const fromHeader = headerLayout(config.sampo_layout, valueNames);
  // sampo writes its layout and every statistic: a file of its that disagrees was damaged.
  const ours = config.sampo_version !== undefined && config.method === "sample";
  if (ours && config.sampo_layout === undefined)
    throw new StanCsvError("no sampo_layout comment above the column line in a file sampo wrote", headerLine, file);
  if (config.sampo_layout !== undefined && fromHeader === undefined)
    throw new StanCsvError("the value columns differ from the sampo_layout comment above them", headerLine, file);
  const missingStat = ours ? STAN_STAT_COLUMNS.find((c) => !header.includes(c)) : undefined;
  if (missingStat !== undefined) throw new StanCsvError(`no ${missingStat} column in a file sampo wrote`, headerLine, file);
  if (ours && otherCols.length > 0)
    throw new StanCsvError(`a column ${header[otherCols[0]]} in a sampling file sampo wrote, which has none such`, headerLine, file);
  const layout = fromHeader ?? parseStanColumns(valueNames).layout;
  const { stanToStorage } = stanColumns(layout);

  const n = rows.count;
  const stats = {} as { -readonly [K in keyof DrawStats]: Float64Array };
  for (const key of STAT_NAMES) {
    const col = new Float64Array(n);
    const k = statCols[key];
    if (k === undefined) col.fill(key === "recovered" ? 0 : NaN);
    else rows.transpose([k], [col]);
    stats[key] = col;
  }
  const values: Float64Array[] = [];
  for (let i = 0; i < stanToStorage.length; i++) values.push(new Float64Array(n));
  rows.transpose(
    valueCols,
    valueCols.map((_, j) => values[stanToStorage[j]]),
  );

  let warmup: number;
  if (adaptAt !== undefined) warmup = adaptAt;
  else {
    const saved = intOf(config, "save_warmup") ?? (config.save_warmup === "true" ? 1 : 0);
    const iters = intOf(config, "warmup", "num_warmup") ?? 0;
    const thin = Math.max(1, intOf(config, "thin") ?? 1);
    warmup = saved ? Math.min(n, Math.ceil(iters / thin)) : 0;
  }

  let adaptation: Adaptation | undefined;
  if (stepSize !== undefined && invMetric !== undefined) {
    const complete = !dense || (invMetric as number[][]).every((r) => r.length === invMetric!.length);
    if (complete) adaptation = { stepSize, invMetric };
  }
  const chain: ChainDraws = {
    chain: intOf(config, "chain_id", "id") ?? 1,
    warmup,
    draws: n - warmup,
    stats,
    values,
    ...(adaptation ? { adaptation } : {}),
    ...(elapsed.warmup !== undefined && elapsed.sampling !== undefined
      ? { elapsed: { warmup: elapsed.warmup, sampling: elapsed.sampling } }
      : {}),
  };
  const columns = Object.fromEntries(
    otherCols.map((k) => {
      const col = new Float64Array(n);
      rows.transpose([k], [col]);
      return [header[k], col];
    }),
  );
  return { config, layout, chain, truncated, lines: lines.count, columns };
}
