/**
 * Damaged Stan CSV files: a file cut at every byte through `readFit`, and
 * the cases the properties of stanCsvDamage.properties.ts found.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Fit } from "../../src/fit/fit.ts";
import { readFit } from "../../src/fit/readFit.ts";
import type { ChainDraws } from "../../src/inference/draws.ts";
import { readStanCsv, StanCsvError, stanCsv } from "../../src/io/stanCsv/index.ts";
import { readWholeStanCsv } from "../../src/io/stanCsv/whole.ts";
import { layoutOf } from "./stanCsv/helpers.ts";
import { thrown } from "../helpers/thrown.ts";

const layout = layoutOf([
  ["mu", []],
  ["empty", [0]],
  ["theta", [2]],
]);

/** A finished chain of `n` draws (no warm-up saved), as sampo writes it. */
function chainText(n: number): string {
  const col = (f: (t: number) => number) => Float64Array.from({ length: n }, (_, t) => f(t));
  const chain: ChainDraws = {
    chain: 1,
    warmup: 0,
    draws: n,
    stats: {
      lp: col((t) => -t - 0.5),
      acceptStat: col(() => 0.9),
      stepSize: col(() => 0.5),
      treeDepth: col(() => 2),
      nLeapfrog: col(() => 3),
      divergent: col(() => 0),
      energy: col((t) => t + 0.25),
      recovered: col((t) => t % 2),
    },
    values: [col((t) => t / 3), col((t) => -t), col((t) => 2 ** -t)],
    adaptation: { stepSize: 0.5, invMetric: [1, 1, 1] },
    elapsed: { warmup: 0.5, sampling: 0.25 },
  };
  return stanCsv(chain, layout, { model: "m", seed: 1, warmup: 10, draws: n, saveWarmup: false });
}

/** The StanCsvError `f` throws. */
const csvError = (f: () => unknown): StanCsvError => thrown(f, StanCsvError);

describe("a damaged Stan CSV file", () => {
  it("cut at every byte, readFit gives the draws of the whole rows before the cut, or a StanCsvError naming the file (and line, when cut mid-line)", async () => {
    const text = chainText(3);
    const dir = mkdtempSync(join(tmpdir(), "sampo-cut-"));
    const path = join(dir, "chain-1.csv");
    const whole = readStanCsv(text).chain;
    for (let k = 0; k <= text.length; k++) {
      writeFileSync(path, text.slice(0, k));
      const fit: unknown = await readFit(path).catch((e: unknown) => e);
      if (!(fit instanceof Fit)) {
        expect(fit).toBeInstanceOf(StanCsvError);
        expect((fit as StanCsvError).file).toBe(path);
        // Cut before its column line, a file has nothing to read (and no line to blame); after it, the partial line is named.
        if (!/no column line/.test((fit as StanCsvError).message))
          expect((fit as StanCsvError).line).toBe(text.slice(0, k).split("\n").length);
        continue;
      }
      expect(k === 0 || text[k - 1] === "\n").toBe(true);
      const rows = fit.chains[0].draws;
      expect(Array.from(fit.chains[0].values[0])).toEqual(Array.from(whole.values[0].subarray(0, rows)));
    }
  });

  it("a sampo file whose sampo_layout line was deleted is an error, not a site without elements lost", () => {
    const text = chainText(2).replace(/^# sampo_layout=.*\n/m, "");
    expect(csvError(() => readStanCsv(text, "chain-1.csv")).message).toBe(
      "chain-1.csv: line 26: no sampo_layout comment above the column line in a file sampo wrote",
    );
  });

  it("a sampo file whose recovered__ column name was damaged (secovered__) is an error, not recovered counts read as 0", () => {
    const text = chainText(2).replace("recovered__", "secovered__");
    expect(csvError(() => readStanCsv(text, "chain-1.csv")).message).toMatch(
      /line \d+: a column secovered__ in a sampling file sampo wrote/,
    );
  });

  it("a sampo file whose columns disagree with its sampo_layout is an error", () => {
    const text = chainText(2).replace(",theta.2,", ",theta.3,");
    expect(csvError(() => readStanCsv(text, "chain-1.csv")).message).toMatch(/the value columns differ from the sampo_layout comment/);
  });

  it("a finished sampo file with a row repeated or deleted is an error", () => {
    const lines = chainText(3).split("\n");
    const header = lines.findIndex((l) => l.startsWith("lp__"));
    const first = lines.findIndex((l, i) => i > header && !l.startsWith("#"));
    const repeated = [...lines.slice(0, first), lines[first], ...lines.slice(first)].join("\n");
    expect(csvError(() => readWholeStanCsv(repeated, "chain-1.csv")).message).toBe(
      "chain-1.csv: 0 warm-up and 4 sampling rows where the header's settings make 0 and 3: rows were lost or repeated",
    );
    const deleted = [...lines.slice(0, first), ...lines.slice(first + 1)].join("\n");
    expect(csvError(() => readWholeStanCsv(deleted, "chain-1.csv")).message).toContain("0 warm-up and 2 sampling rows");
  });

  it("a byte-order mark before the first comment reads as the file without it (it used to make the comment the column line)", () => {
    const text = chainText(2);
    expect(readStanCsv(`\uFEFF${text}`).chain).toEqual(readStanCsv(text).chain);
    expect(readStanCsv(Buffer.from(`\uFEFF${text}`)).config).toEqual(readStanCsv(text).config);
  });
});
