/**
 * The draw log: lossless checkpoint files aligned with the CSV rows, and a
 * run stopped (then cut mid-line, as a kill leaves it) that resumes to the
 * files of the uninterrupted run.
 */
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import model, { data } from "../../examples/eight_schools.ts";
import { csvRow, readStanCsv } from "../../src/io/stanCsv/index.ts";
import { chainsOnDisk, csvPath, readCheckpointFile, readRun, resumeFrom } from "../../src/runtime/drawLog.ts";
import { summarize, summaryRecord } from "../../src/inference/diagnostics/report.ts";
import type { ValueLayout } from "../../src/tensor/layout.ts";
import { losslessParse, losslessStringify } from "../../src/losslessJson.ts";
import { RunDirectory } from "../../src/runtime/runDirectory.ts";
import { sampleStream, type StreamOptions } from "../../src/fit/sampleStream.ts";

const opts = { chains: 2, warmup: 100, draws: 150, seed: 5, checkpointEvery: 20 };
const source = { modelPath: "/models/eight_schools.ts", checkpointEvery: 20 };
const tmp = () => mkdtempSync(join(tmpdir(), "sampo-log-"));
const dataRows = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.length > 0 && !l.startsWith("#"));

/** Runs into `dir` through a RunDirectory, as the CLI does; `each` sees every message after it is written. */
async function runInto(
  dir: string,
  o: StreamOptions,
  each?: (m: { type: string; chain?: number; iter?: number }) => void,
  resuming?: ReturnType<typeof readRun>,
): Promise<void> {
  const sink = new RunDirectory(dir, "eight_schools.ts", source, resuming);
  for await (const m of sampleStream(model, data, { ...o, onCheckpoint: (k, c) => sink.checkpoint(k, c) })) {
    sink.add(m);
    each?.(m);
  }
}

describe("draw log", () => {
  it("writes numbers losslessly, -0, NaN and infinities included", () => {
    const value = { a: [-0, 0, NaN, Infinity, -Infinity, 5e-324, 0.1 + 0.2, -1.7976931348623157e308], b: { c: -0 } };
    const back = losslessParse(losslessStringify(value)) as typeof value;
    expect(back.a.map((x) => (Object.is(x, -0) ? "-0" : String(x)))).toEqual(value.a.map((x) => (Object.is(x, -0) ? "-0" : String(x))));
    expect(Object.is(back.b.c, -0)).toBe(true);
  });

  it("each checkpoint file covers exactly the CSV rows of the iterations up to its state", async () => {
    const dir = tmp();
    const seen: { chain: number; iter: number; rows: number; bytes: number }[] = [];
    const sink = new RunDirectory(dir, "eight_schools.ts", source);
    const o = { ...opts, thin: 3, saveWarmup: true, workers: 2 };
    for await (const m of sampleStream(model, data, {
      ...o,
      onCheckpoint: (k, c) => {
        sink.checkpoint(k, c);
        const file = readCheckpointFile(dir, k)!;
        const text = readFileSync(csvPath(dir, k), "utf8");
        expect(file.csvBytes).toBe(Buffer.byteLength(text));
        expect(file.state).toEqual(c);
        seen.push({ chain: k, iter: c.iter, rows: readStanCsv(text).chain.stats.lp.length, bytes: file.csvBytes });
      },
    }))
      sink.add(m);
    expect(seen.length).toBe(2 * Math.floor((opts.warmup + opts.draws) / opts.checkpointEvery));
    // Kept with thin 3 and warm-up saved: iterations 1, 4, 7, … of warm-up, then of sampling.
    const kept = (n: number) => (n <= 0 ? 0 : Math.floor((n - 1) / 3) + 1);
    for (const s of seen) expect(s.rows).toBe(kept(Math.min(s.iter, opts.warmup)) + kept(s.iter - opts.warmup));
    for (const k of [1, 2])
      expect(readCheckpointFile(dir, k)).toMatchObject({ done: true, csvBytes: Buffer.byteLength(readFileSync(csvPath(dir, k))) });
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("a fresh run's summary.json and chains come from its draws as streamed, the same as its files read back", async () => {
    const dir = tmp();
    const sink = new RunDirectory(dir, "eight_schools.ts", source);
    let layout: ValueLayout = [];
    for await (const m of sampleStream(model, data, {
      ...opts,
      thin: 2,
      saveWarmup: true,
      onCheckpoint: (k, c) => sink.checkpoint(k, c),
    })) {
      sink.add(m);
      if (m.type === "start") layout = m.valueLayout;
    }
    const onDisk = chainsOnDisk(dir, opts.chains);
    const written = sink.chainsWritten();
    expect(written.map(({ values, stats, warmup, draws }) => ({ values, stats, warmup, draws }))).toEqual(
      onDisk.map(({ values, stats, warmup, draws }) => ({ values, stats, warmup, draws })),
    );
    expect(JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"))).toEqual(
      JSON.parse(JSON.stringify(summaryRecord(summarize(layout, onDisk)))),
    );
  });

  for (const workers of [0, 2]) {
    it(`draws carry their CSV rows, formatted where the chain ran, when asked (csvRows), and the files are the same (workers: ${workers})`, async () => {
      const o = { ...opts, workers, thin: 2, saveWarmup: workers === 0 };
      const formatted = tmp();
      const sink = new RunDirectory(formatted, "eight_schools.ts", source);
      let layout: ValueLayout = [];
      let rows = 0;
      for await (const m of sampleStream(model, data, { ...o, csvRows: true, onCheckpoint: (k, c) => sink.checkpoint(k, c) })) {
        sink.add(m);
        if (m.type === "start") layout = m.valueLayout;
        if (m.type !== "draw") continue;
        const kept = !m.warmup || o.saveWarmup;
        expect(m.csvRow).toBe(kept ? csvRow(m.stats, m.values, layout) : undefined);
        if (kept) rows++;
      }
      expect(rows).toBe(opts.chains * ((o.saveWarmup ? opts.warmup / 2 : 0) + opts.draws / 2));
      const plain = tmp();
      await runInto(plain, o, (m) => expect((m as { csvRow?: string }).csvRow).toBeUndefined());
      for (const k of [1, 2]) expect(dataRows(csvPath(formatted, k))).toEqual(dataRows(csvPath(plain, k)));
    });

    it(`a stopped run, its CSV cut mid-line, resumes to the uninterrupted run's files (workers: ${workers})`, async () => {
      const clean = tmp();
      await runInto(clean, { ...opts, workers });
      const cut = tmp();
      const stop = new AbortController();
      await runInto(cut, { ...opts, workers, highWaterMark: 8, signal: stop.signal }, (m) => {
        if (m.type === "draw" && m.chain === 1 && m.iter === 160) stop.abort();
      });
      expect(existsSync(join(cut, "summary.json"))).toBe(false);
      // What a kill mid-write leaves: rows past the checkpoint and half a line.
      appendFileSync(csvPath(cut, 1), "-7.5,0.9,0.3,3,7,0,9.1\n-7.25,0.8");
      const onDisk = readRun(cut);
      expect(onDisk.checkpoints.get(1)?.done).toBe(false);
      const { settings, centering } = onDisk.manifest;
      await runInto(cut, { ...settings, centering, workers, resume: resumeFrom(onDisk) }, undefined, onDisk);
      for (const k of [1, 2]) expect(dataRows(csvPath(cut, k))).toEqual(dataRows(csvPath(clean, k)));
      expect(readFileSync(join(cut, "summary.json"), "utf8")).toBe(readFileSync(join(clean, "summary.json"), "utf8"));
      // Comments aside (elapsed times), the files are the same text.
      const noElapsed = (p: string) => readFileSync(p, "utf8").replace(/# \n#  Elapsed Time:[^]*?# \n/, "");
      for (const k of [1, 2]) expect(noElapsed(csvPath(cut, k))).toBe(noElapsed(csvPath(clean, k)));
    });
  }

  it("refuses to resume when the model or the data changed", async () => {
    const dir = tmp();
    await runInto(dir, { ...opts, chains: 1, draws: 20 });
    const onDisk = readRun(dir);
    const { settings, centering } = onDisk.manifest;
    const resume = resumeFrom(onDisk);
    const again = (d: typeof data) => sampleStream(model, d, { ...settings, centering, resume }).next();
    await expect(again({ ...data, y: data.y.map((y) => y + 1) })).rejects.toThrow(/cannot resume: the data changed/);
    await expect(sampleStream(model, data, { ...settings, centering: {}, reparam: false, resume }).next()).rejects.toThrow(
      /cannot resume: the model changed/,
    );
    await expect(again(data)).resolves.toMatchObject({ value: { type: "start", run: onDisk.manifest.run } });
  });
});
