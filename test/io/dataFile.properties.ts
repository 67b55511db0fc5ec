/**
 * Properties of data files (issue #16, boundary "Data"): generated JSON
 * texts and mutations of a valid data file for a small regression give
 * either a typed error naming the file, key and index, or the right log
 * density. Each case loads, builds and evaluates once; none samples.
 */
import { expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { DataError, DataFileError, ModelError, ShapeError } from "../../src/errors.ts";
import { parseDataFile } from "../../src/io/dataFile.ts";
import { jsonErrorAt } from "../../src/io/jsonErrorAt.ts";
import { logDensity } from "../../src/interpreters/logDensity.ts";
import { propertyParameters } from "../helpers/property.ts";

/** The values an arbitrary generates. */
type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;
import { regression, regressionLogp } from "./dataFileModel.ts";

const FILE = "generated.json";
/** Runs of the property that builds a model per case, at most. */
const BUILD_RUNS = 1000;

/** Whether `JSON.parse` accepts `text`. */
function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A text near JSON: JSON of any value, one character inserted, deleted or replaced, a prefix, or any string. */
const nearJson = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v, null, 1)),
  fc
    .tuple(
      fc.jsonValue().map((v) => JSON.stringify(v, null, 1)),
      fc.nat(),
      fc.constantFrom(",", "]", "}", '"', "-", "e", "\n", "\\", "", "0"),
      fc.nat(2),
    )
    .map(([t, at, c, cut]) => {
      const k = at % (t.length + 1);
      return t.slice(0, k) + c + t.slice(k + cut);
    }),
  fc.string(),
);

/** Whether `v` is a number or a rectangular nested array of numbers (the shape returned), independently of the reader. */
function shapeOf(v: unknown): number[] | undefined {
  if (typeof v === "number") return [];
  if (!Array.isArray(v)) return undefined;
  const inner = v.map(shapeOf);
  if (inner.some((s) => s === undefined)) return undefined;
  const first = JSON.stringify(inner[0] ?? []);
  return inner.every((s) => JSON.stringify(s) === first) ? [v.length, ...((inner[0] as number[] | undefined) ?? [])] : undefined;
}

/** An element of a data array as file text, and what it must read as (`"bad"`: a problem at its index). */
interface Token {
  readonly raw: string;
  readonly value: number | "bad";
}

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x): Token => ({ raw: Object.is(x, -0) ? "-0" : String(x), value: x }));
const edge = fc.constantFrom<Token>(
  { raw: "-0", value: -0 },
  { raw: "1e-400", value: 0 },
  { raw: "1e308", value: 1e308 },
  { raw: '"NaN"', value: NaN },
  { raw: '"Inf"', value: Infinity },
  { raw: '"+Inf"', value: Infinity },
  { raw: '"-Inf"', value: -Infinity },
  { raw: '"Infinity"', value: Infinity },
  { raw: '"-Infinity"', value: -Infinity },
  { raw: "1e999", value: "bad" },
  { raw: "-1e999", value: "bad" },
  { raw: '"nan"', value: "bad" },
  { raw: '"abc"', value: "bad" },
  { raw: "null", value: "bad" },
  { raw: "true", value: "bad" },
  { raw: "{}", value: "bad" },
);
const token = fc.oneof({ weight: 6, arbitrary: finite }, { weight: 1, arbitrary: edge });

/** A key's value in the file: missing, a scalar, or an array (optionally with one element nested, making it ragged). */
type Entry = { kind: "missing" } | { kind: "scalar"; token: Token } | { kind: "array"; tokens: Token[]; nested?: number };

const entry = (n: number): fc.Arbitrary<Entry> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.array(token, { minLength: n, maxLength: n }).map((tokens): Entry => ({ kind: "array", tokens })) },
    { weight: 2, arbitrary: fc.array(token, { maxLength: 6 }).map((tokens): Entry => ({ kind: "array", tokens })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.array(finite, { minLength: 2, maxLength: 6 }), fc.nat())
        .map(([tokens, i]): Entry => ({ kind: "array", tokens, nested: 1 + (i % (tokens.length - 1)) })),
    },
    { weight: 1, arbitrary: finite.map((t): Entry => ({ kind: "scalar", token: t })) },
    { weight: 1, arbitrary: fc.constant<Entry>({ kind: "missing" }) },
  );

/** Keys besides x and y: Stan ignores them, so must we (their values are still checked). */
const extraKey = fc
  .oneof(fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "N", ""), fc.string({ maxLength: 8 }))
  .filter((k) => k !== "x" && k !== "y");

const dataCase = fc.nat(5).chain((n) =>
  fc.record({
    x: entry(n),
    y: entry(n),
    extra: fc.array(fc.tuple(extraKey, fc.oneof(entry(n), fc.constant<Entry>({ kind: "missing" }))), { maxLength: 3 }),
    huge: fc.nat(19).map((k) => k === 0),
  }),
);

/** The file text of the case's entries. */
function fileText(entries: readonly (readonly [string, Entry])[]): string {
  const parts = entries.flatMap(([key, e]) => {
    if (e.kind === "missing") return [];
    const text = e.kind === "scalar" ? e.token.raw : `[${e.tokens.map((t, i) => (i === e.nested ? `[${t.raw}]` : t.raw)).join(", ")}]`;
    return [`${JSON.stringify(key)}: ${text}`];
  });
  return `{\n  ${parts.join(",\n  ")}\n}\n`;
}

/** The index paths the reader must report for an entry. */
function badPaths(key: string, e: Entry): string[] {
  if (e.kind === "missing") return [];
  if (e.kind === "scalar") return e.token.value === "bad" ? [key] : [];
  return e.tokens.flatMap((t, i) => (t.value === "bad" ? [`${key}[${i}]`] : i === e.nested ? [`${key}[${i}]`] : []));
}

/** The numbers an entry reads as (undefined when missing). */
function numbersOf(e: Entry): number | number[] | undefined {
  if (e.kind === "missing") return undefined;
  if (e.kind === "scalar") return e.token.value as number;
  return e.tokens.map((t) => t.value as number);
}

/** The regression's parameters at which each case is evaluated (alpha, log sigma). */
const THETA = [0.3, -0.2];

/**
 * Defines the data-file properties with `runs` runs each.
 *
 * @param runs Runs per property.
 */
export function defineDataFileProperties(runs: number): void {
  test.prop([nearJson], propertyParameters<[string]>(runs))(
    "the JSON recognizer and JSON.parse agree; an error's line and column are in the text",
    (text) => {
      const at = jsonErrorAt(text);
      expect(at === undefined).toBe(parses(text));
      if (at !== undefined) {
        const lines = text.split("\n");
        expect(at.line).toBeGreaterThanOrEqual(1);
        expect(at.line).toBeLessThanOrEqual(lines.length);
        expect(at.column).toBeGreaterThanOrEqual(1);
        expect(at.column).toBeLessThanOrEqual(lines[at.line - 1].length + 1);
      }
    },
  );

  test.prop([nearJson], propertyParameters<[string]>(runs))(
    "any text reads as valid values or one DataFileError naming the file, key and index of every problem",
    (text) => {
      let values: Readonly<Record<string, unknown>>;
      try {
        values = parseDataFile(text, FILE);
      } catch (e) {
        expect(e).toBeInstanceOf(DataFileError);
        const { problems, file } = e as DataFileError;
        expect(file).toBe(FILE);
        expect(problems.length).toBeGreaterThan(0);
        for (const p of problems) {
          expect(p.file).toBe(FILE);
          if (p.key === undefined) expect(p.path).toBe("");
          else expect(p.path.startsWith(p.key)).toBe(true);
        }
        return;
      }
      expect(Object.getPrototypeOf(values)).toBe(null);
      const doc = JSON.parse(text.replace(/^\uFEFF/, "")) as Record<string, unknown>;
      expect(Object.keys(values)).toEqual(Object.keys(doc));
      for (const key of Object.keys(values)) expect(shapeOf(values[key]), key).toBeDefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  // Each case builds a model: capped at 1,000 runs (a few seconds) so that the slow tier stays in its budget.
  test.prop([dataCase], propertyParameters<[ValueOf<typeof dataCase>]>(Math.min(runs, BUILD_RUNS)))(
    "a mutated data file of a regression gives a typed error naming the file, key and index, or the right log density",
    ({ x, y, extra, huge }) => {
      // A huge array is a long valid x and y: long enough to matter, short enough for the default tier.
      const n = 5000;
      const long: Entry = { kind: "array", tokens: Array.from({ length: n }, (_, i) => ({ raw: String(i / n), value: i / n })) };
      const [xe, ye] = huge ? [long, long] : [x, y];
      const entries: [string, Entry][] = [["x", xe], ["y", ye], ...extra];
      // A key given twice: JSON.parse keeps the last.
      const last = new Map<string, Entry>(entries.filter(([, e]) => e.kind !== "missing"));
      const entryOf = (key: string): Entry => last.get(key) ?? { kind: "missing" };
      const bad = [...last].flatMap(([k, e]) => badPaths(k, e));
      let logp: number;
      try {
        const data = parseDataFile(fileText(entries), FILE) as unknown as { x: number[]; y: number[] };
        // The reference interpreter builds through the same site checks as compile(), in a tenth of the time.
        logp = logDensity(regression, data).logp(THETA);
      } catch (e) {
        if (bad.length > 0) {
          expect(e).toBeInstanceOf(DataFileError);
          expect((e as DataFileError).problems.map((p) => p.path).sort()).toEqual([...bad].sort());
          return;
        }
        expect(e).toBeInstanceOf(ModelError);
        const site = (e as ModelError).site;
        expect(["x", "y"]).toContain(site);
        const xs = numbersOf(entryOf("x"));
        const ys = numbersOf(entryOf("y"));
        // Missing data is a DataError naming the key; so are NaN and ±∞ in data; lengths that do not broadcast are a ShapeError.
        if (xs === undefined || ys === undefined) expect(e, String(e)).toBeInstanceOf(DataError);
        else if ([xs, ys].flat().some((v) => !Number.isFinite(v))) expect(e, String(e)).toBeInstanceOf(DataError);
        else {
          expect(e, String(e)).toBeInstanceOf(ShapeError);
          expect(Array.isArray(xs) && Array.isArray(ys) && xs.length === ys.length).toBe(false);
        }
        return;
      }
      expect(bad).toEqual([]);
      const expected = regressionLogp(numbersOf(entryOf("x"))!, numbersOf(entryOf("y"))!, THETA);
      if (Number.isFinite(expected)) expect(Math.abs(logp - expected)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(expected)));
      else expect(logp).toBe(expected);
    },
  );
}
