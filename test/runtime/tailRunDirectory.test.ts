/**
 * tailRunDirectory: a run directory read back as the messages of its run.
 * Real runs of eight schools are recorded (messages and checkpoints, in the
 * order sampleStream hands them out), written to a directory with
 * RunDirectory, and read back: after the fact (follow: false) and while the
 * directory is being written (follow: true). The CSV writes numbers so that
 * they read back bit for bit (src/io/stanCsv/format.ts formatNumber: the
 * shortest round-trip form), so values, statistics, the adaptation and the
 * timings must come back exactly.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import eight, { data } from "../../examples/eight_schools.ts";
import { sampleStream } from "../../src/fit/sampleStream.ts";
import type { ChainCheckpoint } from "../../src/inference/chain.ts";
import type { DrawMessage, SampleMessage, StartMessage } from "../../src/runtime/messages.ts";
import { StanCsvError } from "../../src/io/stanCsv/error.ts";
import { RunDirectory } from "../../src/runtime/runDirectory.ts";
import { tailRunDirectory } from "../../src/runtime/tailRunDirectory.ts";
import { until } from "./runs.ts";

/** What a run hands out: its messages, and its checkpoints in between. */
type RunEvent = { readonly msg: SampleMessage } | { readonly chain: number; readonly checkpoint: ChainCheckpoint };

/** Records a run of eight schools (2 chains, 200 + 200 iterations, checkpoints every 50 iterations). */
async function record(opts: { saveWarmup: boolean; thin: number }): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  const stream = sampleStream(eight, data, {
    seed: 5,
    chains: 2,
    warmup: 200,
    draws: 200,
    workers: 0,
    ...opts,
    checkpointEvery: 50,
    onCheckpoint: (chain, checkpoint) => events.push({ chain, checkpoint }),
  });
  for await (const msg of stream) events.push({ msg });
  return events;
}

/** Hands one event to the directory, as a sink of sampleStream would. */
function write(dir: RunDirectory, e: RunEvent): void {
  if ("msg" in e) dir.add(e.msg);
  else dir.checkpoint(e.chain, e.checkpoint);
}

const messagesOf = (events: readonly RunEvent[]) => events.flatMap((e) => ("msg" in e ? [e.msg] : []));
const drawsOf = (msgs: readonly SampleMessage[], chain?: number) =>
  msgs.filter((m): m is DrawMessage => m.type === "draw" && (chain === undefined || m.chain === chain));

async function readAll(dir: string, options: Parameters<typeof tailRunDirectory>[1]): Promise<SampleMessage[]> {
  const out: SampleMessage[] = [];
  for await (const msg of tailRunDirectory(dir, options)) out.push(msg);
  return out;
}

/** The messages read back must be the run's own: draws (the saved ones), adapted and chainDone per chain, done last. */
function expectSameRun(read: readonly SampleMessage[], run: readonly SampleMessage[], saveWarmup: boolean): void {
  const start = run[0] as StartMessage;
  // start: from run.json and chain-1.csv's header; the unconstrained layout is not in the directory.
  expect(read[0]).toEqual({ ...start, layout: [] });
  expect(read.filter((m) => m.type === "start")).toHaveLength(1);
  // done once, last.
  expect(read.at(-1)).toEqual({ type: "done", run: start.run });
  expect(read.filter((m) => m.type === "done")).toHaveLength(1);
  for (const chain of [1, 2]) {
    // Every saved draw, in iteration order, bit for bit (toEqual tells -0 from 0; NaN equals NaN).
    const expected = drawsOf(run, chain).filter((m) => saveWarmup || !m.warmup);
    const got = drawsOf(read, chain);
    expect(got.map((m) => m.iter)).toEqual(expected.map((m) => m.iter));
    expect(got).toEqual(expected);
    // adapted and chainDone once each, as the run sent them; chainDone after the chain's last draw.
    const ofChain = (type: string) => read.filter((m) => m.type === type && "chain" in m && m.chain === chain);
    expect(ofChain("adapted")).toEqual(run.filter((m) => m.type === "adapted" && m.chain === chain));
    expect(ofChain("chainDone")).toEqual(run.filter((m) => m.type === "chainDone" && m.chain === chain));
    expect(read.indexOf(ofChain("chainDone")[0])).toBeGreaterThan(read.indexOf(got.at(-1)!));
  }
  expect(read.filter((m) => m.type === "error")).toEqual([]);
}

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "sampo-tail-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("tailRunDirectory", () => {
  let plain: RunEvent[];
  let thinned: RunEvent[];
  beforeAll(async () => {
    plain = await record({ saveWarmup: false, thin: 1 });
    thinned = await record({ saveWarmup: true, thin: 2 });
  });

  it("reads a finished run without warm-up: the post-warm-up draws, iterations 201…400", async () => {
    const dir = tempDir();
    const writer = new RunDirectory(dir, "eight_schools.ts");
    for (const e of plain) write(writer, e);
    const run = messagesOf(plain);
    const read = await readAll(dir, { follow: false });
    expectSameRun(read, run, false);
    expect(drawsOf(read, 1).map((m) => m.iter)).toEqual(Array.from({ length: 200 }, (_, i) => 201 + i));
    expect(drawsOf(read).every((m) => !m.warmup)).toBe(true);
  });

  it("reads a finished run with saved warm-up and thin 2: iterations 1, 3, …, 399, warm-up flagged", async () => {
    const dir = tempDir();
    const writer = new RunDirectory(dir, "eight_schools.ts");
    for (const e of thinned) write(writer, e);
    const run = messagesOf(thinned);
    const read = await readAll(dir, { follow: false });
    expectSameRun(read, run, true);
    const chain2 = drawsOf(read, 2);
    expect(chain2.map((m) => m.iter)).toEqual(Array.from({ length: 200 }, (_, i) => 2 * i + 1));
    expect(chain2.map((m) => m.warmup)).toEqual(Array.from({ length: 200 }, (_, i) => 2 * i + 1 <= 200));
  });

  it("reads an unfinished run without done, and follow: false stops there", async () => {
    const dir = tempDir();
    const writer = new RunDirectory(dir, "eight_schools.ts");
    const run = messagesOf(thinned);
    // Up to chain 1's 150th draw.
    const cut = thinned.findIndex((e) => "msg" in e && e.msg.type === "draw" && e.msg.chain === 1 && e.msg.iter === 299);
    for (const e of thinned.slice(0, cut + 1)) write(writer, e);
    const read = await readAll(dir, { follow: false });
    expect(read[0].type).toBe("start");
    expect(drawsOf(read)).toEqual(drawsOf(run, 1).filter((m) => m.iter <= 299));
    expect(read.filter((m) => m.type === "done" || m.type === "chainDone")).toEqual([]);
    expect(read.filter((m) => m.type === "adapted")).toEqual(run.filter((m) => m.type === "adapted" && m.chain === 1));
    writer.close();
  });

  it("follows a directory being written: draws as they come, checkpoints in increasing order, done after summary.json", async () => {
    const dir = tempDir();
    const run = messagesOf(thinned);
    const got: SampleMessage[] = [];
    const checkpoints: [number, number, number][] = [];
    let summaryAtDone: boolean | undefined;
    const controller = new AbortController();
    // Started before the directory has a run.json: it waits for one.
    const reader = (async () => {
      const tail = tailRunDirectory(dir, {
        follow: true,
        pollMs: 20,
        signal: controller.signal,
        onCheckpoint: (chain, iter, stepSize) => checkpoints.push([chain, iter, stepSize]),
      });
      for await (const msg of tail) {
        if (msg.type === "done") summaryAtDone = existsSync(join(dir, "summary.json"));
        got.push(msg);
      }
    })();
    try {
      await sleep(50);
      const writer = new RunDirectory(dir, "eight_schools.ts");
      let written = 0;
      let seenMidRun = -1;
      let seenBeforeDone = -1;
      for (let i = 0; i < thinned.length; i++) {
        const e = thinned[i];
        if ("msg" in e && e.msg.type === "done") {
          // Every draw is on disk: the reader gets them all while the run has not finished.
          await until(() => drawsOf(got).length === written, `${written} draws`);
          expect(got.some((m) => m.type === "done")).toBe(false);
          seenBeforeDone = drawsOf(got).length;
        }
        write(writer, e);
        if ("msg" in e && e.msg.type === "draw") written++;
        // Every 25 events, let the reader catch up with what is on disk.
        if (i % 25 === 24) {
          await until(() => drawsOf(got).length === written, `${written} draws`);
          if (seenMidRun < 0 && written >= 200) seenMidRun = drawsOf(got).length;
        }
      }
      await reader;
      // Draws arrived while the run was going: half-way, and all of them before done was written.
      expect(seenMidRun).toBeGreaterThanOrEqual(200);
      expect(seenMidRun).toBeLessThan(400);
      expect(seenBeforeDone).toBe(400);
      expect(summaryAtDone).toBe(true);
      expectSameRun(got, run, true);
      // Checkpoints: per chain, increasing iterations, each one the run took (iteration and step size).
      const taken = thinned.flatMap((e) => ("checkpoint" in e ? [[e.chain, e.checkpoint.iter, e.checkpoint.stepSize]] : []));
      expect(taken).toHaveLength(16);
      for (const chain of [1, 2]) {
        const seen = checkpoints.filter(([c]) => c === chain);
        expect(seen.length).toBeGreaterThanOrEqual(4);
        for (let k = 1; k < seen.length; k++) expect(seen[k][1]).toBeGreaterThan(seen[k - 1][1]);
        for (const s of seen) expect(taken).toContainEqual(s);
      }
    } finally {
      controller.abort();
      await reader.catch(() => {});
    }
  });

  it("throws, naming the directory, when it has no run.json and follow is false", async () => {
    const dir = tempDir();
    await expect(readAll(dir, { follow: false })).rejects.toThrow(`${dir} is not a run directory`);
  });

  it("a damaged chain file is a StanCsvError naming the file", async () => {
    const dir = tempDir();
    const writer = new RunDirectory(dir, "eight_schools.ts");
    for (const e of plain) write(writer, e);
    const file = join(dir, "chain-2.csv");
    const lines = readFileSync(file, "utf8").split("\n");
    const firstRow = lines.findIndex((l) => /^-?\d/.test(l));
    lines[firstRow + 3] = "1,2,x";
    writeFileSync(file, lines.join("\n"));
    const error = await readAll(dir, { follow: false }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StanCsvError);
    expect((error as StanCsvError).message).toContain(file);
  });

  it("stops waiting for a run.json when aborted", async () => {
    const dir = tempDir();
    const controller = new AbortController();
    const reading = readAll(dir, { follow: true, pollMs: 10, signal: controller.signal });
    await sleep(30);
    controller.abort();
    expect(await reading).toEqual([]);
  });
});
