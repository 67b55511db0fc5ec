/**
 * The data of each benchmark model as the Stan programs in bench/stan/ read
 * it (sampo's data from examples/ plus the sizes Stan declares), written as
 * an R dump file for rstan's `read_rdump` (R reads it without extra
 * packages, unlike JSON).
 * @module
 */
import type { BenchmarkName } from "../examples/index.ts";

/** A value in an R dump: a scalar, a vector, or a matrix given row by row. */
export type RValue = number | readonly number[] | readonly (readonly number[])[];

type Rows = readonly (readonly number[])[];

/** Stan's data for each model, from the example's data (field names as in the .stan files). */
const STAN_DATA: Readonly<Record<BenchmarkName, (d: Record<string, unknown>) => Record<string, RValue>>> = {
  simple: (d) => ({ N: (d.y as number[]).length, y: d.y as number[] }),
  medium: (d) => ({ N_a: (d.y_a as number[]).length, y_a: d.y_a as number[], N_b: (d.y_b as number[]).length, y_b: d.y_b as number[] }),
  stress: (d) => {
    const n = (d.y_1 as number[]).length;
    // stress.stan declares one N for the three groups.
    if ((d.y_2 as number[]).length !== n || (d.y_3 as number[]).length !== n)
      throw new Error("stress: the three groups must be equally long for stress.stan");
    return { N: n, y_1: d.y_1 as number[], y_2: d.y_2 as number[], y_3: d.y_3 as number[] };
  },
  eight_schools: (d) => ({ J: (d.y as number[]).length, y: d.y as number[], sigma: d.sigma as number[] }),
  funnel: () => ({}),
  logistic: (d) => ({ N: (d.X as Rows).length, K: (d.X as Rows)[0].length, X: d.X as Rows, y: d.y as number[] }),
  sv: (d) => ({ T: (d.returns as number[]).length, returns: d.returns as number[] }),
};

/** Stan's data for benchmark `name` from sampo's data of the same model. */
export function stanData(name: BenchmarkName, data: unknown): Record<string, RValue> {
  return STAN_DATA[name](data as Record<string, unknown>);
}

/**
 * One number in R syntax. A vector whose elements are all whole numbers is
 * written as R integers (`3L`): Stan's `int` data must be integers, and a
 * whole-valued `vector` or `real` accepts them as well.
 */
function rNumbers(xs: readonly number[]): string {
  for (const x of xs) if (!Number.isFinite(x)) throw new Error(`rDump: ${x} is not a finite number`);
  const ints = xs.every((x) => Number.isInteger(x) && Math.abs(x) < 2 ** 31);
  // String(x) is the shortest text that reads back to the same double.
  return xs.map((x) => (ints ? `${x}L` : String(x))).join(", ");
}

/**
 * The text of an R dump file (`name <- value` lines). Matrices are written
 * column-major with a `.Dim` attribute, as R stores them.
 *
 * @example
 * ```ts
 * rDump({ N: 2, y: [0.5, 1.5] }); // "N <- 2L\ny <- c(0.5, 1.5)\n"
 * ```
 */
export function rDump(values: Readonly<Record<string, RValue>>): string {
  const lines: string[] = [];
  for (const [name, v] of Object.entries(values)) {
    if (typeof v === "number") lines.push(`${name} <- ${rNumbers([v])}`);
    else if (v.length > 0 && Array.isArray(v[0])) {
      const rows = v as Rows;
      const colMajor = rows[0].flatMap((_, j) => rows.map((r) => r[j]));
      lines.push(`${name} <- structure(c(${rNumbers(colMajor)}), .Dim = c(${rows.length}L, ${rows[0].length}L))`);
    } else lines.push(`${name} <- c(${rNumbers(v as readonly number[])})`);
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
