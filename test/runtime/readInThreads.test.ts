/**
 * Stan CSV files read in pool threads give the files a read in this thread
 * gives (the parsed columns come back whole); a damaged file fails with the
 * same typed error, whichever thread met it; a thread that dies before it
 * reports costs no file.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ChainDraws } from "../../src/inference/draws.ts";
import { StanCsvError, stanCsv } from "../../src/io/stanCsv/index.ts";
import { Rng } from "../../src/random/rng.ts";
import { readCsvFiles } from "../../src/runtime/readInThreads.ts";
import { threadPool } from "../../src/runtime/workers/pool.ts";
import { readCsvFile } from "../../src/runtime/workers/readJob.ts";
import { thrown } from "../helpers/thrown.ts";
import { layoutOf } from "../io/stanCsv/helpers.ts";

const layout = layoutOf([
  ["mu", []],
  ["theta", [3, 2]],
]);

/** Chain `k` of `n` draws, 20 of them saved warm-up, with random values. */
function chainText(k: number, n: number): string {
  const g = new Rng(7, k);
  const col = (f: () => number) => Float64Array.from({ length: n + 20 }, f);
  const chain: ChainDraws = {
    chain: k,
    warmup: 20,
    draws: n,
    stats: {
      lp: col(() => -g.uniform()),
      acceptStat: col(() => g.uniform()),
      stepSize: col(() => 0.5),
      treeDepth: col(() => 2),
      nLeapfrog: col(() => 3),
      divergent: col(() => 0),
      energy: col(() => g.normal()),
      recovered: col(() => 0),
    },
    values: Array.from({ length: 7 }, () => col(() => g.normal() * 1e3)),
    adaptation: { stepSize: 0.5, invMetric: [1, 2, 3, 4, 5, 6, 7] },
    elapsed: { warmup: 0.5, sampling: 0.25 },
  };
  return stanCsv(chain, layout, { model: "m", seed: 1, warmup: 20, draws: n, saveWarmup: true });
}

/** `count` chain files of `n` draws in a new directory. */
function runFiles(count: number, n: number): string[] {
  const dir = mkdtempSync(join(tmpdir(), "sampo-read-"));
  return Array.from({ length: count }, (_, i) => {
    const path = join(dir, `chain-${i + 1}.csv`);
    writeFileSync(path, chainText(i + 1, n + 7 * i));
    return path;
  });
}

describe("readCsvFiles", () => {
  it.each([2, 3])("gives, with %i threads, the files a read in this thread gives", async (threads) => {
    const paths = runFiles(5, 300);
    expect(await readCsvFiles(paths, { threads, always: true })).toStrictEqual(paths.map(readCsvFile));
  });

  it("fails on a damaged file read by another thread with the error this thread's read gives", async () => {
    const paths = runFiles(4, 50);
    // File 1 is the second thread's: cut mid-row.
    writeFileSync(paths[1], chainText(2, 50).slice(0, -40));
    const here = thrown(() => readCsvFile(paths[1]), StanCsvError);
    expect(here.line).toBeDefined();
    const there = await readCsvFiles(paths, { threads: 2, always: true }).catch((e: unknown) => e);
    expect(there).toBeInstanceOf(StanCsvError);
    expect(there).toMatchObject({ message: here.message, line: here.line, file: paths[1] });
  });

  it("reads here the files of a thread that died before it reported", async () => {
    const paths = runFiles(4, 200);
    // The pool's next thread, ended as it is handed the job.
    const doomed = threadPool.take();
    threadPool.give(doomed);
    doomed.terminate();
    expect(await readCsvFiles(paths, { threads: 2, always: true })).toStrictEqual(paths.map(readCsvFile));
    expect(doomed.exited).toBe(true);
  });
});
