/**
 * The summary shared with the pool's threads gives `summarize`'s rows, bit
 * for bit, whatever the number of threads, computed once per chains array;
 * chains of unequal length fail as they do in one thread; a chunk a thread
 * claimed and never finished is computed by the calling thread.
 */
import { describe, expect, it } from "vitest";
import type { ChainDraws } from "../../src/inference/draws.ts";
import { summarize } from "../../src/inference/diagnostics/report.ts";
import { Rng } from "../../src/random/rng.ts";
import { finishShared, summarizeInThreads } from "../../src/runtime/summaryInThreads.ts";
import { rowOf, SUMMARY_CONTROL, summaryJob, workOn } from "../../src/runtime/workers/summaryJob.ts";
import type { ValueLayout } from "../../src/tensor/layout.ts";

/** A vector of 30 and a 3 × 4 matrix: 42 columns. */
const layout: ValueLayout = [
  { name: "theta", shape: [30], offset: 0, size: 30, kind: "parameter" },
  { name: "y", shape: [3, 4], offset: 30, size: 12, kind: "deterministic" },
];

/**
 * Chains of AR(1) columns with varied autocorrelation and scale (so both the
 * direct and the FFT autocovariance run), a constant column, one with a NaN
 * and one with an infinite draw.
 */
function chainsOf(count: number, draws: number, warmup = 0): ChainDraws[] {
  return Array.from({ length: count }, (_, c) => {
    const g = new Rng(11, c);
    const n = warmup + draws;
    const values = Array.from({ length: 42 }, (_, j) => {
      const rho = (j % 10) * 0.1;
      let x = 0;
      const col = Float64Array.from({ length: n }, () => (x = rho * x + g.normal() * 10 ** ((j % 3) - 1)));
      if (j === 5) col.fill(2);
      if (j === 7) col[warmup + 3] = NaN;
      if (j === 9) col[warmup + 4] = Infinity;
      return col;
    });
    const stat = () => new Float64Array(n);
    const stats = {
      lp: stat(),
      acceptStat: stat(),
      stepSize: stat(),
      treeDepth: stat(),
      nLeapfrog: stat(),
      divergent: stat(),
      energy: stat(),
      recovered: stat(),
    };
    return { chain: c + 1, warmup, draws, stats, values };
  });
}

describe("summarizeInThreads", () => {
  it.each([2, 3, 5])("gives summarize's rows when %i threads share the columns", (threads) => {
    const chains = chainsOf(4, 400, 50);
    expect(summarizeInThreads(layout, chains, { threads, always: true })).toStrictEqual(summarize(layout, chains));
  });

  it("computes few columns in this thread, with the same rows", () => {
    const chains = chainsOf(2, 100);
    expect(summarizeInThreads(layout, chains, { threads: 4 })).toStrictEqual(summarize(layout, chains));
  });

  it("returns the rows it computed for the same chains and layout, and computes them anew for another layout", () => {
    const chains = chainsOf(2, 100);
    const rows = summarizeInThreads(layout, chains);
    expect(summarizeInThreads(layout, chains)).toBe(rows);
    const again = summarizeInThreads([...layout], chains);
    expect(again).not.toBe(rows);
    expect(again).toStrictEqual(rows);
  });

  it("fails on chains of different lengths as summarize does", () => {
    const chains = chainsOf(3, 200);
    const uneven = [...chains.slice(0, 2), { ...chains[2], draws: 150 }];
    expect(() => summarize(layout, uneven)).toThrow(/chains differ in length/);
    expect(() => summarizeInThreads(layout, uneven, { threads: 2, always: true })).toThrow(/chains differ in length/);
  });

  it("computes here the chunks a thread claimed and never finished", () => {
    const chains = chainsOf(2, 300);
    const job = summaryJob(chains, 42, 16);
    // A thread that claimed the first chunk and died: the counter is past it, its flag never set.
    Atomics.add(new Int32Array(job.control), SUMMARY_CONTROL.next, 1);
    expect(workOn(job)).toBe(2);
    const flags = new Int32Array(job.control, SUMMARY_CONTROL.flags * Int32Array.BYTES_PER_ELEMENT);
    expect([...flags]).toEqual([0, 1, 1]);
    finishShared(job);
    const names = summarize(layout, chains).map((r) => r.name);
    expect(names.map((name, j) => ({ name, ...rowOf(job, j) }))).toStrictEqual(summarize(layout, chains));
  });
});
