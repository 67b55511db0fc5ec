/**
 * tailRunDirectory on the run directory of a method other than NUTS: real
 * runs of each method on the logistic benchmark are recorded, written with
 * MethodDirectory (as `sampo <method> --out` does), and read back as the
 * messages the live stream sent (all but `progress`, which a directory does
 * not record): after the fact, and while the directory is being written,
 * where the run is announced (onPending) before its draws exist. The CSV
 * writes numbers in their shortest round-trip form, so values, columns and
 * statistics must come back bit for bit.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchmarks } from "../../examples/index.ts";
import { adviStream } from "../../src/fit/methods/advi.ts";
import { laplaceStream } from "../../src/fit/methods/laplace.ts";
import { optimizeStream } from "../../src/fit/methods/optimize.ts";
import { pathfinderStream } from "../../src/fit/methods/pathfinder.ts";
import { smcStream } from "../../src/fit/methods/smc.ts";
import type { SampleMessage, StartMessage } from "../../src/runtime/messages.ts";
import { MethodDirectory } from "../../src/runtime/methodDirectory.ts";
import { tailRunDirectory } from "../../src/runtime/tailRunDirectory.ts";
import { collect, until } from "./runs.ts";

const { model: logistic, data } = benchmarks.logistic;
/** What tailRunDirectory reads from `dir`. */
const readAll = (dir: string, options: Parameters<typeof tailRunDirectory>[1]) => collect(tailRunDirectory(dir, options));

const STREAMS = {
  pathfinder: () => pathfinderStream(logistic, data, { seed: 3 }),
  variational: () => adviStream(logistic, data, { seed: 3, algorithm: "fullrank", outputDraws: 200 }),
  optimize: () => optimizeStream(logistic, data, { seed: 3 }),
  laplace: () => laplaceStream(logistic, data, { seed: 3, draws: 200 }),
  smc: () => smcStream(logistic, data, { seed: 3, particles: 40, runs: 2 }),
} as const;

/**
 * What reading the directory of `run` must give: its messages but `progress`,
 * `start` without the unconstrained layout, `chainDone` without the time
 * spent (the files record neither).
 */
function expected(run: readonly SampleMessage[]): SampleMessage[] {
  return run.flatMap((m): SampleMessage[] =>
    m.type === "progress"
      ? []
      : m.type === "start"
        ? [{ ...m, layout: [] }]
        : m.type === "chainDone"
          ? [{ ...m, elapsed: { warmup: 0, sampling: NaN } }]
          : [m],
  );
}

const dirs: string[] = [];
const tempDir = (name: string) => {
  const d = mkdtempSync(join(tmpdir(), `sampo-tail-${name}-`));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("tailRunDirectory on a method's run directory", () => {
  const runs = new Map<string, SampleMessage[]>();
  beforeAll(async () => {
    for (const [method, stream] of Object.entries(STREAMS)) runs.set(method, await collect(stream()));
  });

  for (const method of Object.keys(STREAMS)) {
    it(`${method}: a finished run reads back as its stream's start, draws, result, chainDone and done`, async () => {
      const run = runs.get(method)!;
      const dir = tempDir(method);
      const writer = new MethodDirectory(dir, "logistic.ts");
      for (const m of run) writer.add(m);
      const read = await readAll(dir, { follow: false });
      expect(read[0]).toMatchObject({ type: "start", method });
      expect(read.filter((m) => m.type === "draw").length).toBeGreaterThan(0);
      // Values, columns (CmdStan's, SMC's run__ among them) and lp bit for bit; SMC's runs are chains 1 and 2.
      expect(read).toEqual(expected(run));
      expect(read.at(-1)).toEqual({ type: "done", run: (run[0] as StartMessage).run });
    });
  }

  it("follows a method run being written: running (onPending) until its draws are written, then all of them, done last", async () => {
    const run = runs.get("pathfinder")!;
    const dir = tempDir("follow");
    const got: SampleMessage[] = [];
    const pending: StartMessage[] = [];
    const controller = new AbortController();
    // Started before the directory has a run.json: it waits for one.
    const reader = (async () => {
      const tail = tailRunDirectory(dir, { follow: true, pollMs: 20, signal: controller.signal, onPending: (m) => pending.push(m) });
      for await (const msg of tail) got.push(msg);
    })();
    try {
      await sleep(50);
      const writer = new MethodDirectory(dir, "logistic.ts");
      const result = run.findIndex((m) => m.type === "result");
      // start and the engine's progress: run.json only.
      for (const m of run.slice(0, result).filter((m) => m.type !== "draw")) writer.add(m);
      await until(() => pending.length > 0, "onPending");
      // The run's start, as recorded, without the values' layout.
      expect(pending).toEqual([{ ...(run[0] as StartMessage), layout: [], valueLayout: [] }]);
      // Nothing is streamed while the values' layout is unknown, however long the method runs.
      await sleep(100);
      expect(got).toEqual([]);
      // The draws (held until the result, as the method sends them then), the result and chainDone: pathfinder.csv and the figures.
      for (const m of run.slice(0, result + 2).filter((m) => m.type === "draw" || m.type === "result" || m.type === "chainDone"))
        writer.add(m);
      const beforeDone = expected(run).slice(0, -1);
      await until(() => got.length === beforeDone.length, `${beforeDone.length} messages`);
      await sleep(100);
      expect(got).toEqual(beforeDone);
      // done once summary.json is written.
      writer.add(run.at(-1)!);
      await reader;
      expect(got).toEqual(expected(run));
      expect(pending).toHaveLength(1);
    } finally {
      controller.abort();
      await reader.catch(() => {});
    }
  });

  it("follow: false on a method run still going says its draws are not written yet; aborting stops the watching", async () => {
    const run = runs.get("smc")!;
    const dir = tempDir("pending");
    new MethodDirectory(dir, "logistic.ts").add(run[0]);
    await expect(readAll(dir, { follow: false })).rejects.toThrow(`${dir}: the smc run has not finished: its draws (smc.csv)`);
    const controller = new AbortController();
    let pending = 0;
    const reading = readAll(dir, { follow: true, pollMs: 10, signal: controller.signal, onPending: () => pending++ });
    await sleep(50);
    controller.abort();
    expect(await reading).toEqual([]);
    expect(pending).toBe(1);
  });

  it("a method run that failed reads back as its start and the error that ended it, whether followed or not", async () => {
    const { model: es, data: esData } = benchmarks.eight_schools;
    // Eight schools has no mode: laplace fails, after its start, with an error message.
    const run: SampleMessage[] = [];
    await expect(
      (async () => {
        for await (const m of laplaceStream(es, esData, { seed: 1 })) run.push(m);
      })(),
    ).rejects.toThrow(/no mode found/);
    const dir = tempDir("failed");
    const writer = new MethodDirectory(dir, "eight_schools.ts");
    for (const m of run) writer.add(m);
    for (const follow of [false, true]) {
      const read = await readAll(dir, { follow, pollMs: 10 });
      expect(read.map((m) => m.type)).toEqual(["start", "error"]);
      expect(read[1]).toMatchObject({ message: expect.stringContaining("no mode found") });
    }
  });
});
