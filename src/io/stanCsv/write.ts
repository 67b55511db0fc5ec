/**
 * Writing Stan CSV files piece by piece, for an append-only draw log.
 *
 * A file is, in CmdStan's order: {@link csvHeader} (comment block and column
 * line), one {@link csvRow} per saved warm-up draw, {@link csvAdaptation},
 * one {@link csvRow} per sampling draw, then {@link csvElapsed}. Every piece
 * ends with a newline, so a process killed mid-write leaves at most one
 * incomplete last line, which `readStanCsv` drops.
 *
 * On `recovered` (not a Stan statistic): by default it is written as an extra
 * `recovered__` column after the value columns. Every reader we know tolerates
 * it: ArviZ and CmdStanPy treat any `__` column as a sampler statistic
 * (`sample_stats.recovered`), CmdStan's `stansummary` lists it with the sampler
 * statistics, and rstan's `read_stan_csv` / CmdStanR's `read_cmdstan_csv` read
 * it as one more variable named `recovered__`. Pass `recoveredColumn: false`
 * (to both `csvHeader` and `csvRow`) for a file with Stan's columns only.
 * @module
 */
import type { Adaptation, ChainDraws, DrawStats } from "../../inference/draws.ts";
import { RECOVERED_COLUMN, STAN_STAT_COLUMNS, stanColumns, type StanColumns } from "./columns.ts";
import { StanCsvError } from "./error.ts";
import { formatFields, formatNumber } from "./format.ts";
import { SAMPO_VERSION } from "../../version.ts";
import type { ValueLayout } from "../../tensor/layout.ts";

/** The run settings a Stan CSV header records. */
export interface StanCsvConfig {
  /** Model name (`model=`). */
  readonly model: string;
  /** 1-based chain number (`chain_id=` and CmdStan's `id=`). */
  readonly chain: number;
  /** The run's seed (`seed=`). */
  readonly seed: number | bigint | string;
  /** Warm-up iterations, before thinning (`warmup=`, `num_warmup=`). */
  readonly warmup: number;
  /** Sampling iterations after warm-up, before thinning (`num_samples=`; `iter=` is warmup + draws). */
  readonly draws: number;
  /** Whether warm-up draws are written (`save_warmup=1`); default false. */
  readonly saveWarmup?: boolean;
  /** Every `thin`-th iteration is saved (`thin=`); default 1. */
  readonly thin?: number;
  /** Target acceptance statistic (`adapt_delta=`); default 0.8. */
  readonly adaptDelta?: number;
  /** Dual-averaging regularisation (`adapt_gamma=`); default 0.05. */
  readonly adaptGamma?: number;
  /** Dual-averaging relaxation exponent (`adapt_kappa=`); default 0.75. */
  readonly adaptKappa?: number;
  /** Dual-averaging iteration offset (`adapt_t0=`); default 10. */
  readonly adaptT0?: number;
  /** Whether warm-up adapts (`adapt_engaged=`); default true. */
  readonly adaptEngaged?: boolean;
  /** Maximum tree depth (`max_treedepth=`, CmdStan's `max_depth=`); default 10. */
  readonly maxTreeDepth?: number;
  /** Metric (`metric=`, and rstan's `sampler_t=NUTS(<metric>)`); default `diag_e`. */
  readonly metric?: "unit_e" | "diag_e" | "dense_e";
  /** Initial step size (`stepsize=`); default 1. */
  readonly stepSize?: number;
  /** Version written as `sampo_version=`; default {@link SAMPO_VERSION}. */
  readonly sampoVersion?: string;
  /** Write the `recovered__` column (see the module notes); default true. Must match the `csvRow` option. */
  readonly recoveredColumn?: boolean;
  /** Further `key=value` comment lines, written after the standard ones. */
  readonly extra?: Readonly<Record<string, string | number | boolean>>;
}

/** Options of {@link csvRow}. */
export interface CsvRowOptions {
  /** Whether the header has the `recovered__` column; default true. */
  readonly recoveredColumn?: boolean;
}

const columnCache = new WeakMap<ValueLayout, StanColumns>();
/** The fields of the last row {@link csvRow} wrote, reused: it writes one row per draw. */
let fields: number[] = [];
/** Rows {@link stanCsv} gathers from the columns at a time, so each column's cache lines are read once. */
const GATHER_BLOCK = 64;

/** {@link stanColumns}, computed once per layout object (rows are written many times). */
function columnsOf(layout: ValueLayout): StanColumns {
  let c = columnCache.get(layout);
  if (!c) {
    c = stanColumns(layout);
    columnCache.set(layout, c);
  }
  return c;
}

/** A header value on one line, without `=` (which some readers split on) or line breaks. */
export function headerValue(key: string, v: string | number | boolean | bigint): string {
  const s = typeof v === "number" ? formatNumber(v) : typeof v === "boolean" ? (v ? "1" : "0") : String(v);
  if (/[\r\n]/.test(s)) throw new StanCsvError(`header value of "${key}" spans lines`);
  return s.replace(/=/g, "\\u003d");
}

/**
 * The comment block and column line that start a Stan CSV file.
 *
 * Keys are written `# key=value` as rstan does, under both rstan's names
 * (`iter`, `warmup`, `chain_id`, `adapt_*`, `max_treedepth`, `sampler_t`) and
 * the CmdStan names that CmdStanPy and ArviZ look for (`num_samples`,
 * `num_warmup`, `save_warmup`, `thin`, `metric`, `max_depth`, `id`), plus
 * `method=sample`, `sampo_version` and `sampo_layout` (the exact value layout
 * as JSON with `=` escaped, so the reader need not guess shapes from column
 * names). No `stan_version_*` keys: this is not Stan's output.
 *
 * @param config The run settings.
 * @param layout The value layout whose columns follow the sampler columns.
 * @returns The header text, ending with a newline.
 * @throws StanCsvError when two values would share a column name, or a value spans lines.
 */
export function csvHeader(config: StanCsvConfig, layout: ValueLayout): string {
  const thin = config.thin ?? 1;
  const metric = config.metric ?? "diag_e";
  const maxDepth = config.maxTreeDepth ?? 10;
  const entries: [string, string | number | boolean | bigint][] = [
    ["model", config.model],
    ["method", "sample"],
    ["sampo_version", config.sampoVersion ?? SAMPO_VERSION],
    ["seed", config.seed],
    ["chain_id", config.chain],
    ["id", config.chain],
    ["iter", config.warmup + config.draws],
    ["warmup", config.warmup],
    ["num_samples", config.draws],
    ["num_warmup", config.warmup],
    ["save_warmup", config.saveWarmup ?? false],
    ["thin", thin],
    ["adapt_engaged", config.adaptEngaged ?? true],
    ["adapt_gamma", config.adaptGamma ?? 0.05],
    ["adapt_delta", config.adaptDelta ?? 0.8],
    ["adapt_kappa", config.adaptKappa ?? 0.75],
    ["adapt_t0", config.adaptT0 ?? 10],
    ["max_treedepth", maxDepth],
    ["max_depth", maxDepth],
    ["algorithm", "hmc"],
    ["engine", "nuts"],
    ["metric", metric],
    ["sampler_t", `NUTS(${metric})`],
    ["stepsize", config.stepSize ?? 1],
  ];
  for (const [k, v] of Object.entries(config.extra ?? {})) entries.push([k, v]);
  const plain = layout.map((e) => ({ name: e.name, shape: e.shape, kind: e.kind }));
  entries.push(["sampo_layout", JSON.stringify(plain)]);
  const lines = entries.map(([k, v]) => `# ${k}=${headerValue(k, v)}`);
  const columns: string[] = [...STAN_STAT_COLUMNS, ...columnsOf(layout).names];
  if (config.recoveredColumn ?? true) columns.push(RECOVERED_COLUMN);
  return `${lines.join("\n")}\n#\n${columns.join(",")}\n`;
}

/**
 * One draw as a data line: the sampler statistics in Stan's order, the values
 * permuted to Stan's column-major order, then `recovered` (unless disabled).
 * `divergent` is written 0/1; numbers round-trip exactly (`inf`, `-inf`, `nan`).
 *
 * @param stats The draw's sampler statistics.
 * @param values The draw's value vector in storage (row-major) order, as long as the layout.
 * @param layout The value layout given to {@link csvHeader}.
 * @param options Must agree with the header's `recoveredColumn`.
 * @returns The line, ending with a newline.
 * @throws StanCsvError when `values` is shorter than the layout.
 */
export function csvRow(stats: DrawStats, values: ArrayLike<number>, layout: ValueLayout, options: CsvRowOptions = {}): string {
  const { stanToStorage, storageToStan } = columnsOf(layout);
  if (values.length < storageToStan.length) {
    throw new StanCsvError(`a draw has ${values.length} values, the layout ${storageToStan.length}`);
  }
  const recovered = options.recoveredColumn ?? true;
  const width = STAN_STAT_COLUMNS.length + stanToStorage.length + (recovered ? 1 : 0);
  // Fractions make the array one of doubles, which JSON.stringify formats fastest.
  if (fields.length !== width) fields = Array.from({ length: width }, () => 0.5);
  fields[0] = stats.lp;
  fields[1] = stats.acceptStat;
  fields[2] = stats.stepSize;
  fields[3] = stats.treeDepth;
  fields[4] = stats.nLeapfrog;
  fields[5] = stats.divergent ? 1 : 0;
  fields[6] = stats.energy;
  for (let k = 0; k < stanToStorage.length; k++) fields[7 + k] = values[stanToStorage[k]];
  if (recovered) fields[width - 1] = stats.recovered;
  return `${formatFields(fields)}\n`;
}

/**
 * The adaptation block CmdStan writes between warm-up and sampling rows:
 * `# Adaptation terminated`, `# Step size = …`, then the inverse metric —
 * `# Diagonal elements of inverse mass matrix:` and one line of the diagonal,
 * or for a dense metric `# Elements of inverse mass matrix:` and one line per row.
 *
 * @param a The adaptation at the end of warm-up.
 * @returns The comment lines, ending with a newline.
 */
export function csvAdaptation(a: Adaptation): string {
  const lines = ["# Adaptation terminated", `# Step size = ${formatNumber(a.stepSize)}`];
  const m = a.invMetric;
  if (m.length > 0 && Array.isArray(m[0])) {
    lines.push("# Elements of inverse mass matrix:");
    for (const row of m as readonly (readonly number[])[]) lines.push(`# ${row.map(formatNumber).join(", ")}`);
  } else {
    lines.push("# Diagonal elements of inverse mass matrix:");
    lines.push(`# ${(m as readonly number[]).map(formatNumber).join(", ")}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The closing elapsed-time block, as CmdStan and rstan write it:
 * ```
 * #
 * #  Elapsed Time: 0.04 seconds (Warm-up)
 * #                0.02 seconds (Sampling)
 * #                0.06 seconds (Total)
 * #
 * ```
 * (the blank comment lines are `# ` with a trailing space, as in those files).
 *
 * @param warmupSec Seconds spent in warm-up.
 * @param samplingSec Seconds spent sampling.
 * @returns The comment lines, ending with a newline.
 */
export function csvElapsed(warmupSec: number, samplingSec: number): string {
  const pad = "#                ";
  return (
    `# \n#  Elapsed Time: ${formatNumber(warmupSec)} seconds (Warm-up)\n` +
    `${pad}${formatNumber(samplingSec)} seconds (Sampling)\n` +
    `${pad}${formatNumber(warmupSec + samplingSec)} seconds (Total)\n# \n`
  );
}

/**
 * A whole chain as one Stan CSV text, in CmdStan's order (header, warm-up
 * rows, adaptation block if any, sampling rows, elapsed block if any).
 *
 * @param chain The chain's draws (its `warmup` rows are written as warm-up).
 * @param layout The value layout of `chain.values`.
 * @param config Run settings; `chain` and `saveWarmup` default to the draws' own.
 * @returns The file text.
 */
export function stanCsv(chain: ChainDraws, layout: ValueLayout, config: Omit<StanCsvConfig, "chain"> & { chain?: number }): string {
  const cfg: StanCsvConfig = { ...config, chain: config.chain ?? chain.chain, saveWarmup: config.saveWarmup ?? chain.warmup > 0 };
  const opts: CsvRowOptions = { recoveredColumn: cfg.recoveredColumn ?? true };
  const parts = [csvHeader(cfg, layout)];
  const n = chain.warmup + chain.draws;
  const { stats, values } = chain;
  const width = values.length;
  const block = new Float64Array(GATHER_BLOCK * width);
  for (let t = 0; t < n; t++) {
    if (t === chain.warmup && chain.adaptation) parts.push(csvAdaptation(chain.adaptation));
    const b = t % GATHER_BLOCK;
    if (b === 0) {
      for (let i = 0; i < width; i++) {
        const col = values[i];
        for (let r = 0; r < GATHER_BLOCK && t + r < n; r++) block[r * width + i] = col[t + r];
      }
    }
    const s: DrawStats = {
      lp: stats.lp[t],
      acceptStat: stats.acceptStat[t],
      stepSize: stats.stepSize[t],
      treeDepth: stats.treeDepth[t],
      nLeapfrog: stats.nLeapfrog[t],
      divergent: stats.divergent[t] !== 0,
      energy: stats.energy[t],
      recovered: stats.recovered[t],
    };
    parts.push(csvRow(s, block.subarray(b * width, (b + 1) * width), layout, opts));
  }
  if (n === chain.warmup && chain.adaptation) parts.push(csvAdaptation(chain.adaptation));
  if (chain.elapsed) parts.push(csvElapsed(chain.elapsed.warmup, chain.elapsed.sampling));
  return parts.join("");
}
