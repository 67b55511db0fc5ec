/**
 * `npm run bench:summary`: what summaries and Stan CSV files cost on wide
 * models.
 *
 * 1. Summary: `summarize` (mean, sd, quantiles, bulk/tail ESS, R-hat, MCSEs)
 *    of 100 and 2,000 columns of 4 chains × 2,000 draws (AR(1) series of
 *    varied autocorrelation and scale, some with a shifted or constant chain).
 *    Figure: ms per column (goal ≤ 2), the median of `--rounds` rounds, and
 *    the CPU time beside it (the steadier figure on a shared machine); then
 *    `summarizeInThreads` on every core (what `Fit.summary()`, `summary.json`
 *    and the CLI's table come from), in alternate rounds.
 * 2. Stan CSV: one chain of 8,000 rows × 2,328 values (a 31 × 25
 *    deterministic and 1,553 parameters, as in issue 15). Write: `stanCsv`
 *    plus `writeFileSync` of its text; read: `readFileSync` (bytes) plus
 *    `readStanCsv`. Each in MB/s beside a plain `writeFileSync` /
 *    `readFileSync` of the same bytes (the disk, through the page cache).
 *    Then the same rows as 4 chain files, read whole in one thread and by
 *    `readCsvFiles` on every core (what `readFit` and `sampo summary` use).
 * 3. End to end (`--cli-rounds`, default 1; 0 skips it): the precompiled CLI
 *    samples `bench/wideModel.ts` (issue 15's 2,328 values, 4 chains ×
 *    (1,000 + 2,000)) into a fresh `--out`, then `sampo summary` reads it
 *    back. Wall times, beside the chains' own time (their CSVs' elapsed,
 *    summed and divided by the cores: what the run would take were sampling
 *    all it did).
 *
 * ```sh
 * npm run bench:summary
 * npm run bench:summary -- --columns 100,2000 --rounds 3 --csv-rows 8000
 * node --cpu-prof --import tsx bench/summary.ts --columns 2000 --rounds 1 --csv-rows 0
 * ```
 * @module
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { ChainDraws } from "../src/inference/draws.ts";
import { summarize } from "../src/inference/diagnostics/report.ts";
import { cores } from "../src/runtime/cores.ts";
import { summarizeInThreads } from "../src/runtime/summaryInThreads.ts";
import { readCsvFiles } from "../src/runtime/readInThreads.ts";
import { readCsvFile } from "../src/runtime/workers/readJob.ts";
import { readStanCsv, stanCsv } from "../src/io/stanCsv/index.ts";
import { Rng } from "../src/random/rng.ts";
import type { ValueLayout } from "../src/tensor/layout.ts";

const { values: args } = parseArgs({
  options: {
    columns: { type: "string" },
    chains: { type: "string" },
    draws: { type: "string" },
    rounds: { type: "string" },
    "csv-columns": { type: "string" },
    "csv-rows": { type: "string" },
    "cli-rounds": { type: "string" },
  },
});
const columnCounts = (args.columns ?? "100,2000").split(",").map(Number);
const chainCount = Number(args.chains ?? 4);
const drawCount = Number(args.draws ?? 2000);
const rounds = Number(args.rounds ?? 3);
const csvColumns = Number(args["csv-columns"] ?? 2328);
const csvRows = Number(args["csv-rows"] ?? 8000);
const cliRounds = Number(args["cli-rounds"] ?? 1);

/** A vector parameter, then a 31 × 25 deterministic when there is room for it, as in the model of issue 15. */
function layoutOf(columns: number): ValueLayout {
  const grid = columns >= 775 ? 775 : 0;
  const layout: ValueLayout = [{ name: "theta", shape: [columns - grid], offset: 0, size: columns - grid, kind: "parameter" }];
  if (grid === 0) return layout;
  return [...layout, { name: "y", shape: [31, 25], offset: columns - grid, size: grid, kind: "deterministic" }];
}

/**
 * Value column j of every chain: an AR(1) with ρ from 0 to 0.95 and a scale
 * from 0.01 to 100; every 17th column shifts its last chain (R-hat > 1),
 * every 101st is constant (the NaN paths).
 */
function chainsOf(columns: number, chains: number, n: number, seed: number): ChainDraws[] {
  return Array.from({ length: chains }, (_, c) => {
    const g = new Rng(seed, c);
    const values = Array.from({ length: columns }, (_, j) => {
      const rho = (j % 20) * 0.05;
      const scale = 10 ** ((j % 5) - 2);
      const shift = j % 17 === 0 && c === chains - 1 ? 2 * scale : 0;
      if (j % 101 === 100) return new Float64Array(n).fill(1);
      let x = g.normal() / Math.sqrt(1 - rho * rho);
      return Float64Array.from({ length: n }, () => shift + scale * (x = rho * x + g.normal()));
    });
    const stat = (f: (t: number) => number) => Float64Array.from({ length: n }, (_, t) => f(t));
    const stats = {
      lp: stat(() => -50 + g.normal()),
      acceptStat: stat(() => g.uniform()),
      stepSize: stat(() => 0.31415926),
      treeDepth: stat(() => 3),
      nLeapfrog: stat(() => 7),
      divergent: stat(() => 0),
      energy: stat(() => 50 + g.normal()),
      recovered: stat(() => 0),
    };
    return { chain: c + 1, warmup: 0, draws: n, stats, values };
  });
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Wall and CPU ms per column of `summarize` (CPU time, all threads, is the
 * steadier figure on a shared machine), and wall ms per column of
 * `summarizeInThreads` on every core, in alternate rounds.
 */
function msPerColumn(columns: number): { wall: number; cpu: number; threaded: number } {
  const layout = layoutOf(columns);
  const chains = chainsOf(columns, chainCount, drawCount, 1);
  summarize(layoutOf(20), chainsOf(20, chainCount, drawCount, 2)); // warm the JIT
  summarizeInThreads(layoutOf(20), chainsOf(20, chainCount, drawCount, 2), { always: true }); // start the threads
  const wall: number[] = [];
  const cpu: number[] = [];
  const threaded: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    summarize(layout, chains);
    const c = process.cpuUsage(c0);
    wall.push((performance.now() - t0) / columns);
    cpu.push((c.user + c.system) / 1e3 / columns);
    const t1 = performance.now();
    // A new array each round: summarizeInThreads returns the rows it computed for the same one.
    summarizeInThreads(layout, [...chains]);
    threaded.push((performance.now() - t1) / columns);
  }
  return { wall: median(wall), cpu: median(cpu), threaded: median(threaded) };
}

console.log(
  `summary, ${chainCount} chains × ${drawCount} draws (${chainCount * drawCount} per column), median of ${rounds}, load average ${loadavg()[0].toFixed(1)}`,
);
for (const columns of columnCounts) {
  const { wall, cpu, threaded } = msPerColumn(columns);
  console.log(
    `  ${String(columns).padStart(5)} columns: ${wall.toFixed(3)} ms per column (CPU ${cpu.toFixed(3)} ms); on ${cores()} threads ${threaded.toFixed(3)} ms`,
  );
}

if (csvRows > 0) {
  const dir = mkdtempSync(join(tmpdir(), "sampo-bench-summary-"));
  try {
    const layout = layoutOf(csvColumns);
    const [chain] = chainsOf(csvColumns, 1, csvRows, 3);
    const path = join(dir, "chain-1.csv");
    const rawPath = join(dir, "raw.csv");
    const config = { model: "wide", seed: 1, warmup: 0, draws: csvRows };
    const mbps = (bytes: number, ms: number) => (bytes / 1e6 / (ms / 1e3)).toFixed(0).padStart(5);
    const writes: number[] = [];
    const rawWrites: number[] = [];
    const reads: number[] = [];
    const rawReads: number[] = [];
    let bytes = 0;
    for (let r = 0; r < rounds; r++) {
      let t0 = performance.now();
      const text = stanCsv(chain, layout, config);
      writeFileSync(path, text);
      writes.push(performance.now() - t0);
      const raw = Buffer.from(text);
      bytes = raw.length;
      t0 = performance.now();
      writeFileSync(rawPath, raw);
      rawWrites.push(performance.now() - t0);
      t0 = performance.now();
      const file = readStanCsv(readFileSync(path));
      reads.push(performance.now() - t0);
      if (file.chain.values[0][csvRows - 1] !== chain.values[0][csvRows - 1]) throw new Error("the file read back differs");
      t0 = performance.now();
      readFileSync(rawPath);
      rawReads.push(performance.now() - t0);
    }
    console.log(`Stan CSV, ${csvRows} rows × ${csvColumns} values (${(bytes / 1e6).toFixed(0)} MB), median of ${rounds}`);
    console.log(`  write: ${mbps(bytes, median(writes))} MB/s   (writeFileSync of the same bytes: ${mbps(bytes, median(rawWrites))} MB/s)`);
    console.log(`  read:  ${mbps(bytes, median(reads))} MB/s   (readFileSync of the same bytes:  ${mbps(bytes, median(rawReads))} MB/s)`);

    // The same rows as 4 chain files, read whole in this thread, then by readCsvFiles on every core (what readFit does).
    const paths = chainsOf(csvColumns, 4, Math.ceil(csvRows / 4), 5).map((c, i) => {
      const p = join(dir, `chain-${i + 1}.csv`);
      writeFileSync(p, stanCsv(c, layout, { ...config, draws: c.draws }));
      return p;
    });
    const allBytes = paths.reduce((n, p) => n + statSync(p).size, 0);
    const serial: number[] = [];
    const shared: number[] = [];
    let first = 0;
    for (let r = 0; r < rounds; r++) {
      let t0 = performance.now();
      paths.map(readCsvFile);
      serial.push(performance.now() - t0);
      t0 = performance.now();
      await readCsvFiles(paths);
      shared.push(performance.now() - t0);
      if (r === 0) first = shared[0];
    }
    console.log(
      `  4 chain files (${(allBytes / 1e6).toFixed(0)} MB), read whole: one thread ${mbps(allBytes, median(serial))} MB/s; on ${cores()} threads ${mbps(allBytes, median(shared))} MB/s (first call, starting its threads: ${mbps(allBytes, first)} MB/s)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (cliRounds > 0) {
  const root = join(import.meta.dirname, "..");
  execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { stdio: "ignore" });
  const sampo = (...a: string[]) => {
    const t0 = performance.now();
    execFileSync(process.execPath, [join(root, "bin/sampo.js"), ...a], { cwd: root, stdio: "ignore" });
    return (performance.now() - t0) / 1e3;
  };
  const dir = mkdtempSync(join(tmpdir(), "sampo-bench-wide-"));
  try {
    const runs: number[] = [];
    const summaries: number[] = [];
    const chainTimes: number[] = [];
    for (let r = 0; r < cliRounds; r++) {
      const out = join(dir, `run${r}`);
      runs.push(sampo("sample", "bench/wideModel.ts", "--seed", "1", "--warmup", "1000", "--draws", "2000", "--out", out));
      summaries.push(sampo("summary", out));
      const files = await readCsvFiles([1, 2, 3, 4].map((k) => join(out, `chain-${k}.csv`)));
      chainTimes.push(files.reduce((t, f) => t + (f.chain.elapsed?.warmup ?? 0) + (f.chain.elapsed?.sampling ?? 0), 0) / cores());
      rmSync(out, { recursive: true, force: true });
    }
    console.log(
      `End to end, bench/wideModel.ts (2,328 values, 4 × (1000 + 2000)), median of ${cliRounds}, load average ${loadavg()[0].toFixed(1)}`,
    );
    console.log(
      `  sampo sample --out: ${median(runs).toFixed(2)} s (the chains' own time over ${cores()} cores: ${median(chainTimes).toFixed(2)} s)`,
    );
    console.log(`  sampo summary:      ${median(summaries).toFixed(2)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
