/**
 * Stan CSV column names of a value layout, and back.
 *
 * Stan names the elements of a container `name.i.j…` with 1-based indices and
 * writes them in column-major ("Fortran") order: the first index varies
 * fastest (`L.1.1, L.2.1, L.1.2, …`). Our values are row-major within a site,
 * so the column order of a site with two or more dimensions differs from the
 * storage order; {@link stanColumns} gives the permutation both ways.
 * @module
 */
import type { Shape } from "../../tensor/shape.ts";
import { StanCsvError } from "./error.ts";
import type { ValueEntry, ValueLayout } from "../../tensor/layout.ts";
/** Stan's sampler columns, in the order CmdStan and rstan write them (before any value column). */
export const STAN_STAT_COLUMNS = ["lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"] as const;

/**
 * sampo's extra sampler column (leaves whose density threw or was not finite),
 * written after the value columns. Stan has no such column; see `csvHeader`.
 */
export const RECOVERED_COLUMN = "recovered__";

/** Whether a column is a sampler/method column rather than a value: Stan's convention is a `__` suffix. */
export function isStatColumn(name: string): boolean {
  return name.endsWith("__");
}

/** The value columns of a layout in Stan order, with the permutation to and from our storage order. */
export interface StanColumns {
  /** Column names in Stan order (`mu`, `theta.1`, `L.1.1`, `L.2.1`, …). */
  readonly names: readonly string[];
  /** `stanToStorage[k]` is the index in the value vector (row-major within a site) of the k-th column. */
  readonly stanToStorage: Int32Array;
  /** `storageToStan[i]` is the column position of element `i` of the value vector; the inverse of `stanToStorage`. */
  readonly storageToStan: Int32Array;
}

/** The elements of a site in Stan's column-major order. */
export interface ColumnMajorElements {
  /** `offsets[k]`: the row-major offset within the site of the k-th element in column-major order. */
  readonly offsets: Int32Array;
  /** `indices[k]`: the 1-based index list of that element, as in its column name. */
  readonly indices: number[][];
}

/**
 * For a site of shape `shape`, the row-major offset of each element taken in
 * Stan's column-major order, and its 1-based index list.
 *
 * @param shape The site's shape (`[]` for a scalar).
 * @returns `offsets[k]` (row-major offset of the k-th column-major element) and `indices[k]` (1-based).
 */
export function columnMajorElements(shape: Shape): ColumnMajorElements {
  let size = 1;
  for (const d of shape) size *= d;
  const rank = shape.length;
  const strides = new Array<number>(rank);
  let s = 1;
  for (let j = rank - 1; j >= 0; j--) {
    strides[j] = s;
    s *= shape[j];
  }
  const offsets = new Int32Array(size);
  const indices: number[][] = [];
  const idx = new Array<number>(rank).fill(0);
  for (let k = 0; k < size; k++) {
    let off = 0;
    for (let j = 0; j < rank; j++) off += idx[j] * strides[j];
    offsets[k] = off;
    indices.push(idx.map((i) => i + 1));
    // Advance the first index fastest.
    for (let j = 0; j < rank; j++) {
      if (++idx[j] < shape[j]) break;
      idx[j] = 0;
    }
  }
  return { offsets, indices };
}

/**
 * The Stan column names of a value layout and the permutation between Stan's
 * column order and our row-major storage.
 *
 * A scalar site is one column named as the site; a site with a shape gets
 * `name.i.j…` columns in column-major order; a site with no elements (a zero
 * dimension) gets no column.
 *
 * @param layout The value layout (offsets and sizes as the density reports them).
 * @returns Names and both permutations; the value vector is `sum(size)` long.
 * @throws StanCsvError when two columns would have the same name.
 */
export function stanColumns(layout: ValueLayout): StanColumns {
  const names: string[] = [];
  const toStorage: number[] = [];
  let total = 0;
  for (const e of layout) total = Math.max(total, e.offset + e.size);
  for (const e of layout) {
    if (e.shape.length === 0) {
      names.push(e.name);
      toStorage.push(e.offset);
      continue;
    }
    const { offsets, indices } = columnMajorElements(e.shape);
    for (let k = 0; k < offsets.length; k++) {
      names.push(`${e.name}.${indices[k].join(".")}`);
      toStorage.push(e.offset + offsets[k]);
    }
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new StanCsvError(`two values would both be written as column "${n}"`);
    seen.add(n);
  }
  const stanToStorage = Int32Array.from(toStorage);
  const storageToStan = new Int32Array(total).fill(-1);
  stanToStorage.forEach((i, k) => (storageToStan[i] = k));
  return { names, stanToStorage, storageToStan };
}

const INDEX = /^[1-9][0-9]*$/;

/** The indices of `name` if it is `base.i.j…` with exactly `rank` index segments, else undefined. */
function indicesOf(name: string, base: string, rank: number): number[] | undefined {
  if (!name.startsWith(base + ".")) return undefined;
  const segs = name.slice(base.length + 1).split(".");
  if (segs.length !== rank || !segs.every((t) => INDEX.test(t))) return undefined;
  return segs.map(Number);
}

/** If columns from `start` form the complete column-major grid of `base` with `rank` indices, its shape and length. */
function grid(columns: readonly string[], start: number, base: string, rank: number): Shape | undefined {
  const run: number[][] = [];
  for (let q = start; q < columns.length; q++) {
    const idx = indicesOf(columns[q], base, rank);
    if (!idx) break;
    run.push(idx);
  }
  const shape = new Array<number>(rank).fill(0);
  for (const idx of run) for (let j = 0; j < rank; j++) shape[j] = Math.max(shape[j], idx[j]);
  const { indices } = columnMajorElements(shape);
  if (indices.length !== run.length) return undefined;
  for (let k = 0; k < run.length; k++) {
    for (let j = 0; j < rank; j++) if (indices[k][j] !== run[k][j]) return undefined;
  }
  return shape;
}

/** A value layout recovered from Stan column names, with the permutation to storage. */
export interface ParsedColumns extends StanColumns {
  /** The sites, in column order; `kind` is `"parameter"` for all (Stan CSV does not say). */
  readonly layout: ValueLayout;
}

/**
 * Parses value column names (no `__` columns) back into a value layout.
 *
 * Consecutive columns `name.i.j…` whose indices enumerate a complete
 * column-major grid form one site; its shape is the maximum of each index.
 *
 * Site names are identifiers (Stan's rule, and sampo's: src/dsl/siteName.ts),
 * so a dot in a column always starts an index and any model's columns parse
 * back to its sites. A file from elsewhere may still have a column such as
 * `a.1` meant as a scalar: the reader prefers the longest consistent parse,
 * the most trailing integer segments taken as indices such that the run of
 * columns is a complete grid. Sites with no elements have no column, so only
 * the `sampo_layout` comment that `csvHeader` writes (and `readStanCsv`
 * prefers) brings them back.
 *
 * @param columns The value column names, in file order.
 * @returns The layout (row-major offsets), names and permutations.
 * @throws StanCsvError on an empty or duplicated column name.
 */
export function parseStanColumns(columns: readonly string[]): ParsedColumns {
  const layout: ValueEntry[] = [];
  let p = 0;
  let offset = 0;
  const seen = new Set<string>();
  while (p < columns.length) {
    const name = columns[p];
    if (name.length === 0) throw new StanCsvError(`empty column name (value column ${p + 1})`);
    const segs = name.split(".");
    let trailing = 0;
    while (trailing < segs.length - 1 && INDEX.test(segs[segs.length - 1 - trailing])) trailing++;
    let entry: { name: string; shape: Shape } | undefined;
    for (let rank = trailing; rank >= 1 && !entry; rank--) {
      const base = segs.slice(0, segs.length - rank).join(".");
      if (base.length === 0) continue;
      if (!segs.slice(segs.length - rank).every((t) => t === "1")) continue;
      const shape = grid(columns, p, base, rank);
      if (shape) entry = { name: base, shape };
    }
    entry ??= { name, shape: [] };
    if (seen.has(entry.name)) throw new StanCsvError(`site "${entry.name}" appears twice in the columns`);
    seen.add(entry.name);
    let size = 1;
    for (const d of entry.shape) size *= d;
    layout.push({ name: entry.name, shape: entry.shape, offset, size, kind: "parameter" });
    offset += size;
    p += size;
  }
  const cols = stanColumns(layout);
  return { layout, ...cols };
}
