/** A chain's growable draw columns (runtime/drawColumns.ts). */
import { describe, expect, it } from "vitest";
import { STAT_NAMES } from "../../src/inference/draws.ts";
import { DrawColumns } from "../../src/runtime/drawColumns.ts";

describe("DrawColumns", () => {
  it.each([0, 300, 1000])(
    "keeps every draw's values and statistics, in order, past several doublings of its room (%i expected)",
    (expected) => {
      const cols = new DrawColumns(2, expected);
      const n = 1000;
      const statsAt = (k: number) => ({
        lp: -k,
        acceptStat: k / n,
        stepSize: 0.5,
        treeDepth: k % 4,
        nLeapfrog: k % 9,
        divergent: k % 7 === 0,
        energy: 2 * k,
        recovered: k % 3,
      });
      for (let k = 0; k < n; k++) cols.push([k, -k / 2], statsAt(k));
      expect(cols.length).toBe(n);
      const { values, stats } = cols.draws((c) => c.slice(0, cols.length));
      expect(values.map((v) => v.length)).toEqual([n, n]);
      expect(Object.keys(stats)).toEqual([...STAT_NAMES]);
      for (const k of [0, 63, 64, 65, 511, 999]) {
        expect([values[0][k], values[1][k]]).toEqual([k, -k / 2]);
        for (const name of STAT_NAMES) expect(stats[name][k]).toBe(Number(statsAt(k)[name]));
      }
    },
  );

  it("makes room for the expected draws at once", () => {
    expect(new DrawColumns(2, 5000).columns[0].length).toBe(5000);
    expect(new DrawColumns(2, 10).columns[0].length).toBe(64);
  });
});
