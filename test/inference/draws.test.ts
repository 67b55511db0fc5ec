/** A draw's statistics as a row of numbers (inference/draws.ts): the packed form of worker batches and draw columns. */
import { describe, expect, it } from "vitest";
import { readStats, STAT_NAMES, writeStats } from "../../src/inference/draws.ts";

describe("writeStats / readStats", () => {
  const stats = { lp: -1.5, acceptStat: 0.25, stepSize: 0.125, treeDepth: 3, nLeapfrog: 7, divergent: true, energy: 2.5, recovered: 4 };

  it("write each statistic at its STAT_NAMES position (divergent as 1 or 0) and read it back", () => {
    const row = new Float64Array(2 + STAT_NAMES.length).fill(NaN);
    writeStats(stats, row, 2);
    expect([row[0], row[1]]).toEqual([NaN, NaN]);
    STAT_NAMES.forEach((name, i) => expect(row[2 + i]).toBe(Number(stats[name])));
    expect(readStats(row, 2)).toStrictEqual(stats);
    writeStats({ ...stats, divergent: false }, row, 0);
    expect(readStats(row, 0).divergent).toBe(false);
  });
});
