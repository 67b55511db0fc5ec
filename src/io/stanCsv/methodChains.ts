/**
 * A method's Stan CSV file (see method.ts) split back into the chains its
 * run made: CmdStan's variational mean row dropped, SMC's runs split by
 * `run__`, `lp__` kept as one of the method's columns. What `readFit` and
 * the dashboard's replay of a run directory both read.
 * @module
 */
import type { ChainDraws, DrawStats } from "../../inference/draws.ts";
import type { CsvMethod } from "./method.ts";
import type { StanCsvFile } from "./read.ts";

/** One chain of a method's file: its draws and its per-draw columns. */
export interface MethodChain {
  readonly draws: ChainDraws;
  readonly columns: Readonly<Record<string, Float64Array>>;
}

/** Rows `from` … `to` (exclusive) of a chain and of per-draw columns, as chain `chain`. */
function rowsOf(c: ChainDraws, columns: Readonly<Record<string, Float64Array>>, from: number, to: number, chain: number): MethodChain {
  const cut = (a: Float64Array) => a.slice(from, to);
  const stats = Object.fromEntries(Object.entries(c.stats).map(([k, v]) => [k, cut(v)])) as unknown as ChainDraws["stats"];
  const draws: ChainDraws = { chain, warmup: 0, draws: to - from, stats, values: c.values.map(cut) };
  return { draws, columns: Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, cut(v)])) };
}

/** The chains of `method`'s `file`, chain 1 first. */
export function methodChains(method: CsvMethod, file: StanCsvFile): MethodChain[] {
  const c = file.chain;
  const n = c.warmup + c.draws;
  // lp__ was read as NUTS's lp statistic; it is one of the method's columns too (not variational's, whose lp__ is 0 by convention).
  const lpIsColumn = method !== "variational" && !c.stats.lp.every(Number.isNaN);
  const columns: Readonly<Record<string, Float64Array>> = lpIsColumn ? { ...file.columns, lp__: c.stats.lp } : file.columns;
  // CmdStan's variational file starts with the approximation's mean, which is not a draw.
  if (method === "variational") return [rowsOf(c, columns, 1, n, 1)];
  const run = file.columns.run__;
  if (run === undefined || n === 0) return [rowsOf(c, columns, 0, n, 1)];
  const parts: MethodChain[] = [];
  let from = 0;
  for (let t = 1; t <= n; t++) {
    if (t === n || run[t] !== run[from]) {
      parts.push(rowsOf(c, columns, from, t, parts.length + 1));
      from = t;
    }
  }
  return parts;
}

/** The column a method's draws report as `lp` (log p at the draw), by CmdStan's names. */
const LP_COLUMNS = ["lp__", "log_p__"] as const;

/**
 * The `stats` of a method's draws from its per-draw `columns`: `lp` from
 * `lp__`, else `log_p__` (NaN without either), NUTS's other statistics
 * empty (they have no meaning for these methods).
 *
 * @example
 * ```ts
 * const stats = methodDrawStats({ log_p__: Float64Array.of(-3.5) });
 * stats(0).lp; // -3.5
 * ```
 */
export function methodDrawStats(columns: Readonly<Record<string, Float64Array>>): (i: number) => DrawStats {
  const lp = LP_COLUMNS.map((k) => columns[k]).find((col) => col !== undefined);
  return (i) => ({
    lp: lp === undefined ? NaN : lp[i],
    acceptStat: NaN,
    stepSize: NaN,
    treeDepth: 0,
    nLeapfrog: 0,
    divergent: false,
    energy: NaN,
    recovered: 0,
  });
}
