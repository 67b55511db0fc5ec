/**
 * Properties of damaged Stan CSV files (issue #16, boundary "Files sampo
 * reads back"): a small synthetic chain written by sampo's own writer, then
 * given CRLF line ends or a byte-order mark, truncated at any byte, or
 * corrupted (a line deleted, repeated or inserted, a bit flipped), reads
 * back to the same draws or fails with a StanCsvError naming the file (and
 * the line, when the damage is on one).
 */
import { expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import type { ChainDraws, DrawStats } from "../../src/inference/draws.ts";
import { StanCsvError, readStanCsv, stanCsv, type StanCsvFile } from "../../src/io/stanCsv/index.ts";
import { readWholeStanCsv } from "../../src/io/stanCsv/whole.ts";
import type { ValueLayout } from "../../src/tensor/layout.ts";
import { propertyParameters } from "../helpers/property.ts";
import { layoutOf, randomBits, rng } from "./stanCsv/helpers.ts";

/** The name the files are read under. */
export const CSV_FILE = "chain-1.csv";

/** A written chain: its layout, draws and the file's text. */
export interface WrittenChain {
  readonly layout: ValueLayout;
  readonly chain: ChainDraws;
  readonly text: string;
}

const SITES: readonly [string, number[]][] = [
  ["mu", []],
  ["theta", [2]],
  ["L", [2, 3]],
  ["empty", [0]],
  ["one", [1]],
];

/** Numbers a text format gets wrong first. */
const EDGES = [NaN, Infinity, -Infinity, -0, 0, 5e-324, -Number.MAX_VALUE, 0.1 + 0.2];

/**
 * A small chain of any numbers (from the case's seed: drawing each double
 * through fast-check made the slow tier several times slower), written by
 * `stanCsv` as a finished sampling run.
 */
export const writtenChain: fc.Arbitrary<WrittenChain> = fc
  .record({
    sites: fc.subarray([...SITES], { minLength: 1 }),
    warmupIters: fc.nat(3),
    drawIters: fc.integer({ min: 1, max: 4 }),
    thin: fc.integer({ min: 1, max: 2 }),
    saveWarmup: fc.boolean(),
    seed: fc.nat(),
  })
  .map(({ sites, warmupIters, drawIters, thin, saveWarmup, seed }): WrittenChain => {
    const layout = layoutOf(sites);
    const width = layout.reduce((a, e) => a + e.size, 0);
    const warmup = saveWarmup ? Math.ceil(warmupIters / thin) : 0;
    const n = warmup + Math.ceil(drawIters / thin);
    const u = rng(seed + 1);
    const any = () => (u() < 0.2 ? EDGES[Math.floor(u() * EDGES.length)] : randomBits(u));
    const column = (f: () => number) => Float64Array.from({ length: n }, f);
    const int = (max: number) => () => Math.floor(u() * (max + 1));
    const stats = {
      lp: column(any),
      acceptStat: column(u),
      stepSize: column(any),
      treeDepth: column(int(10)),
      nLeapfrog: column(int(1023)),
      divergent: column(int(1)),
      energy: column(any),
      recovered: column(int(3)),
    };
    const chain: ChainDraws = {
      chain: 1,
      warmup,
      draws: n - warmup,
      stats,
      values: Array.from({ length: width }, () => column(any)),
      ...(warmupIters > 0
        ? { adaptation: { stepSize: 0.001 + u(), invMetric: Array.from({ length: width }, () => 0.001 + 10 * u()) } }
        : {}),
      elapsed: { warmup: 0.5, sampling: 0.25 },
    };
    const text = stanCsv(chain, layout, { model: "m", seed: 1, warmup: warmupIters, draws: drawIters, thin, saveWarmup });
    return { layout, chain, text };
  });

const STATS = [
  "lp",
  "acceptStat",
  "stepSize",
  "treeDepth",
  "nLeapfrog",
  "divergent",
  "energy",
  "recovered",
] as const satisfies readonly (keyof DrawStats)[];

/** Row `t` of a chain (statistics, then values) as the hex of its doubles' bits, for exact comparison (-0 and NaN included). */
function row(c: ChainDraws, t: number): string {
  const xs = Float64Array.from([...STATS.map((k) => c.stats[k][t]), ...c.values.map((v) => v[t])]);
  return Buffer.from(xs.buffer).toString("hex");
}

/** The rows of a chain. */
const rows = (c: ChainDraws): string[] => Array.from({ length: c.warmup + c.draws }, (_, t) => row(c, t));

/** A layout without its sites of no elements (nothing in a file checks their names). */
const sized = (layout: ValueLayout): ValueLayout => layout.filter((e) => e.size > 0);

/** Reads `input` whole under {@link CSV_FILE}: the file, or the StanCsvError (anything else fails the test). */
function readWhole(input: string | Uint8Array): StanCsvFile | StanCsvError {
  try {
    return readWholeStanCsv(input, CSV_FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(StanCsvError);
    expect((e as StanCsvError).file).toBe(CSV_FILE);
    return e as StanCsvError;
  }
}

/** One kind of damage to a file's bytes. */
type Damage =
  | { kind: "delete"; line: number }
  | { kind: "repeat"; line: number }
  | { kind: "insert"; line: number; text: string }
  | { kind: "flip"; at: number; bit: number };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.nat().map((line): Damage => ({ kind: "delete", line })),
  fc.nat().map((line): Damage => ({ kind: "repeat", line })),
  fc
    .tuple(fc.nat(), fc.oneof(fc.string(), fc.constantFrom("0,0,0", "#", "# thin=2", "lp__", "nan", "1e999", ",,")))
    .map(([line, text]): Damage => ({ kind: "insert", line, text: text.replace(/[\r\n]/g, "") })),
  fc.tuple(fc.nat(), fc.nat(7)).map(([at, bit]): Damage => ({ kind: "flip", at, bit })),
);

/** The file's bytes with `d` done to them. */
function damaged(text: string, d: Damage): Uint8Array {
  if (d.kind === "flip") {
    const bytes = Buffer.from(text);
    bytes[d.at % bytes.length] ^= 1 << d.bit;
    return bytes;
  }
  const lines = text.split("\n").slice(0, -1);
  const k = d.line % lines.length;
  if (d.kind === "delete") lines.splice(k, 1);
  else if (d.kind === "repeat") lines.splice(k, 0, lines[k]);
  else lines.splice(k, 0, d.text);
  return Buffer.from(`${lines.join("\n")}\n`);
}

/**
 * Defines the damaged-CSV properties with `runs` runs each.
 *
 * @param runs Runs per property.
 */
export function defineStanCsvDamageProperties(runs: number): void {
  test.prop([writtenChain, fc.boolean(), fc.boolean(), fc.boolean()], propertyParameters<[WrittenChain, boolean, boolean, boolean]>(runs))(
    "CRLF line ends and a byte-order mark read back to the same draws, bit for bit",
    ({ chain, layout, text }, crlf, bom, asBytes) => {
      const variant = `${bom ? "\uFEFF" : ""}${crlf ? text.replace(/\n/g, "\r\n") : text}`;
      const back = readWhole(asBytes ? Buffer.from(variant) : variant);
      expect(back).not.toBeInstanceOf(StanCsvError);
      const f = back as StanCsvFile;
      expect(f.layout).toEqual(layout);
      expect([f.chain.warmup, f.chain.draws]).toEqual([chain.warmup, chain.draws]);
      expect(rows(f.chain)).toEqual(rows(chain));
      expect(f.chain.adaptation).toEqual(chain.adaptation);
      expect(f.config).toEqual(readStanCsv(text).config);
    },
  );

  test.prop([writtenChain, fc.nat()], propertyParameters<[WrittenChain, number]>(runs))(
    "a file cut at any byte reads as a prefix of the draws, and as a whole file only when cut at a line's end",
    ({ chain, text }, at) => {
      const bytes = Buffer.from(text);
      const k = at % (bytes.length + 1);
      const cut = bytes.subarray(0, k);
      const midLine = k > 0 && bytes[k - 1] !== 10;
      let partial: StanCsvFile | undefined;
      try {
        partial = readStanCsv(cut, CSV_FILE);
      } catch (e) {
        // Only a file cut before its column line has nothing to read.
        expect(e).toBeInstanceOf(StanCsvError);
        expect(text.slice(0, k)).not.toMatch(/\nlp__[^\n]*\n/);
      }
      if (partial !== undefined) {
        expect(partial.truncated).toBe(midLine);
        expect(rows(partial.chain)).toEqual(rows(chain).slice(0, partial.chain.warmup + partial.chain.draws));
      }
      const whole = readWhole(cut);
      if (midLine) {
        expect(whole).toBeInstanceOf(StanCsvError);
        if (partial !== undefined) expect((whole as StanCsvError).line).toBe(partial.lines + 1);
      } else if (!(whole instanceof StanCsvError))
        expect(rows(whole.chain)).toEqual(rows(chain).slice(0, whole.chain.warmup + whole.chain.draws));
    },
  );

  test.prop([writtenChain, damage], propertyParameters<[WrittenChain, Damage]>(runs))(
    "a deleted, repeated or inserted line or a flipped bit gives a StanCsvError naming the file, or the same draws but for the flipped number",
    ({ chain, layout, text }, d) => {
      const bytes = damaged(text, d);
      const back = readWhole(bytes);
      if (back instanceof StanCsvError) {
        if (back.line !== undefined) expect(back.line).toBeGreaterThanOrEqual(1);
        if (back.line !== undefined) expect(back.line).toBeLessThanOrEqual(bytes.filter((b) => b === 10).length + 1);
        return;
      }
      // No checksum guards a number or the name of a site without elements: a flipped bit may change one of those
      // (as in CmdStan's files), nothing else.
      expect(d.kind === "flip" ? sized(back.layout) : back.layout).toEqual(d.kind === "flip" ? sized(layout) : layout);
      expect([back.chain.warmup, back.chain.draws]).toEqual([chain.warmup, chain.draws]);
      const before = rows(chain);
      const after = rows(back.chain);
      const changed = before.filter((r, t) => r !== after[t]).length;
      expect(changed).toBeLessThanOrEqual(d.kind === "flip" ? 1 : 0);
    },
  );
}
