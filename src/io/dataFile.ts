/**
 * Data and initial-values files: JSON objects of named values, read as
 * Stan reads its JSON data. A value is a number or a rectangular nested
 * array of numbers; the strings `"NaN"`, `"Inf"`, `"+Inf"`, `"-Inf"`,
 * `"Infinity"`, `"+Infinity"` and `"-Infinity"` stand for those numbers.
 * Every problem of a file (invalid JSON with its line and column, nulls,
 * booleans, other strings, objects, ragged arrays, literals beyond the
 * double range such as `1e999`, which JSON.parse silently makes Infinity)
 * is collected and reported at once in one {@link DataFileError}, each naming
 * the file, the key and the index (`y[3][1]`).
 * @module
 */
import { readFile } from "node:fs/promises";
import { DataFileError, type DataProblem } from "../errors.ts";
import type { Numeric } from "../tensor/shape.ts";
import { jsonErrorAt } from "./jsonErrorAt.ts";

/** A value of a data file: a number or a rectangular nested array of them. */
export type DataValue = number | readonly DataValue[];

/** A data file's values by key, in a null-prototype object (a key such as `__proto__` is just a key). */
export type DataValues = Readonly<Record<string, DataValue>>;

/** The strings Stan's JSON data format reads as numbers. */
const SPECIAL_NUMBERS: ReadonlyMap<string, number> = new Map([
  ["NaN", NaN],
  ["Inf", Infinity],
  ["+Inf", Infinity],
  ["Infinity", Infinity],
  ["+Infinity", Infinity],
  ["-Inf", -Infinity],
  ["-Infinity", -Infinity],
]);

/** Nesting of data beyond this is reported rather than followed (the walk is recursive). */
const MAX_RANK = 32;
/** Initial values are numbers, vectors or matrices (what a site's value is given as). */
const INIT_RANK = 2;
/** Problems kept per file; the message counts the rest. */
const MAX_PROBLEMS = 1000;
/** Problems the message lists one per line. */
const LISTED = 20;

/** What a value's walk collects: the problems, capped, and how many there were. */
class Problems {
  readonly list: DataProblem[] = [];
  count = 0;
  constructor(readonly file: string) {}

  add(key: string | undefined, path: string, message: string, at?: { line: number; column: number }): void {
    this.count++;
    if (this.list.length < MAX_PROBLEMS) this.list.push({ file: this.file, key, path, message, ...at });
  }
}

/** What a JSON value is, in words, for a message. */
function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "string")
    return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)} (only ${[...SPECIAL_NUMBERS.keys()].map((k) => `"${k}"`).join(", ")} stand for numbers)`;
  if (typeof v === "boolean") return `${v} (a boolean: write 1 or 0)`;
  return typeof v === "object" ? "an object" : typeof v;
}

/** The shape of `shape` as `[2, 3]` (`[]` for a number). */
const showShape = (shape: readonly number[]): string => `[${shape.join(", ")}]`;

/**
 * Checks one value (a number, special string or nested array) at `path`,
 * replacing special strings by their numbers in place; returns its shape, or
 * undefined when it has a problem (reported to `problems`).
 */
function checkValue(v: unknown, key: string, path: string, depth: number, maxRank: number, problems: Problems): number[] | undefined {
  if (typeof v === "number") {
    // JSON has no Infinity: a non-finite number here was a literal beyond the double range.
    if (Number.isFinite(v)) return [];
    problems.add(key, path, `a number beyond the double range (±1.8e308); write "Infinity" or "-Infinity" if that is meant`);
    return undefined;
  }
  if (typeof v === "string" && SPECIAL_NUMBERS.has(v)) return [];
  if (!Array.isArray(v)) {
    problems.add(key, path, `${describe(v)} where a number or an array is expected`);
    return undefined;
  }
  if (depth >= maxRank) {
    problems.add(key, path, `arrays nested more than ${maxRank} deep`);
    return undefined;
  }
  let first: { shape: number[]; at: number } | undefined;
  let ok = true;
  for (let i = 0; i < v.length; i++) {
    const at = `${path}[${i}]`;
    const shape = checkValue(v[i], key, at, depth + 1, maxRank, problems);
    if (typeof v[i] === "string") v[i] = SPECIAL_NUMBERS.get(v[i] as string) ?? v[i];
    if (shape === undefined) ok = false;
    else if (first === undefined) first = { shape, at: i };
    else if (shape.length !== first.shape.length || shape.some((d, k) => d !== first!.shape[k])) {
      problems.add(
        key,
        at,
        `shape ${showShape(shape)} where ${path}[${first.at}] has shape ${showShape(first.shape)} (arrays must be rectangular)`,
      );
      ok = false;
    }
  }
  return ok ? [v.length, ...(first?.shape ?? [])] : undefined;
}

/** The error reporting a file's problems, each on its own line. */
function fileError(problems: Problems): DataFileError {
  const { list, count, file } = problems;
  const lines = list.slice(0, LISTED).map((p) => `  ${p.key === undefined ? "(file)" : p.path}: ${p.message}`);
  if (count > LISTED) lines.push(`  … and ${count - LISTED} more`);
  return new DataFileError(file, list, `${file}: ${count === 1 ? "1 problem" : `${count} problems`}\n${lines.join("\n")}`);
}

/**
 * Parses a JSON file the user gave (data, initial values, a centering).
 *
 * @param text The file's text (a leading byte-order mark is skipped).
 * @param file The file's name, for the error.
 * @throws DataFileError with the line and column where the text stops being JSON.
 */
export function parseJsonFile(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch {
    // JSON.parse and the recognizer agree on what is JSON (a property test holds them to it).
    const at = jsonErrorAt(body)!;
    const problems = new Problems(file);
    problems.add(undefined, "", `not valid JSON: ${at.what} (line ${at.line}, column ${at.column})`, at);
    throw fileError(problems);
  }
}

/**
 * Reads the text of a data (or initial values) file.
 *
 * @param text The file's text (a leading byte-order mark is skipped).
 * @param file The file's name, for the error.
 * @param maxRank The deepest nesting of arrays allowed.
 * @returns Its values by key, special strings made numbers, in a null-prototype object.
 * @throws DataFileError listing every problem of the file in `problems`.
 *
 * @example
 * ```ts
 * const data = parseDataFile('{ "y": [1, "Inf", -0], "N": 3 }', "data.json");
 * data.y; // [1, Infinity, -0]
 * ```
 */
export function parseDataFile(text: string, file: string, maxRank = MAX_RANK): DataValues {
  const problems = new Problems(file);
  const doc = parseJsonFile(text, file);
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    problems.add(undefined, "", `${describe(doc)} where one JSON object of named values is expected`);
    throw fileError(problems);
  }
  const values = Object.create(null) as Record<string, DataValue>;
  for (const [key, v] of Object.entries(doc)) {
    const value = typeof v === "string" ? (SPECIAL_NUMBERS.get(v) ?? v) : v;
    if (checkValue(v, key, key, 0, maxRank, problems) !== undefined) values[key] = value as DataValue;
  }
  if (problems.count > 0) throw fileError(problems);
  return values;
}

/**
 * Reads a data (or initial values) file from disk: {@link parseDataFile} of its UTF-8 text.
 *
 * @param path The file to read.
 * @param file Its name as the user gave it, for the error (defaults to `path`).
 */
export async function readDataFile(path: string, file = path): Promise<DataValues> {
  return parseDataFile(await readFile(path, "utf8"), file);
}

/**
 * Reads an initial values file (`--init FILE`): a data file whose values
 * are numbers, vectors or matrices, by site name.
 *
 * @param path The file to read.
 * @param file Its name as the user gave it, for the error (defaults to `path`).
 * @throws DataFileError listing every problem of the file.
 */
export async function readInitFile(path: string, file = path): Promise<Readonly<Record<string, Numeric>>> {
  return parseDataFile(await readFile(path, "utf8"), file, INIT_RANK) as Readonly<Record<string, Numeric>>;
}
