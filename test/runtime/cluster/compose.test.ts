/**
 * Cluster runs compose with the rest: `sampo sample --nats --out` whose
 * coordinator is SIGKILLed mid-run resumes (`--resume`) from the run's
 * stream to the local run's files; and remote chains feed the live
 * dashboard, unchanged, in a real browser.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchmarks } from "../../../examples/index.ts";
import { openDashboard } from "../../../src/dashboard/dashboard.ts";
import { Fit } from "../../../src/fit/fit.ts";
import { sampleStream } from "../../../src/fit/sampleStream.ts";
import { formatSummaryCell, SUMMARY_COLUMNS } from "../../../src/inference/diagnostics/format.ts";
import { DrawCollector } from "../../../src/runtime/collect.ts";
import { launchBrowser, screenshotPath } from "../../helpers/browser.ts";
import { root, sampo, sampoJs } from "../../helpers/cli.ts";
import { type NatsServer, startNatsServer, startWorker, type WorkerProcess } from "../../helpers/nats.ts";

const dataRows = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.length > 0 && !l.startsWith("#"));
const rowsSoFar = (path: string) => (existsSync(path) ? dataRows(path).length - 1 : 0);
/** A chain's file but for its timings: header, adaptation and rows, all of it. */
const withoutTimes = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => !/seconds \((Warm-up|Sampling|Total)\)/.test(l));
const tmp = () => mkdtempSync(join(tmpdir(), "sampo-cluster-"));

describe("cluster runs with the CLI and the dashboard", () => {
  let server: NatsServer;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    server = await startNatsServer();
    for (let i = 0; i < 2; i++) workers.push(startWorker(server.url));
    await Promise.all(workers.map((w) => w.waitFor(/worker: (taking jobs|no job queue)/)));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill("SIGKILL")));
    await server?.stop();
  });

  // Draws enough that a stop sent at 100–200 draws lands mid-run: logistic samples 1000 draws in about 0.1 s.
  const DRAWS = 10_000;
  const run = [
    "sample",
    "examples/logistic.ts",
    "--chains",
    "2",
    "--warmup",
    "1000",
    "--draws",
    String(DRAWS),
    "--seed",
    "3",
    "--checkpoint-every",
    "50",
  ];
  let local: { dir: string; stdout: string };
  beforeAll(async () => {
    const dir = tmp();
    const r = await sampo([...run, "--out", dir]);
    expect(r.code, r.stderr).toBe(0);
    local = { dir, stdout: r.stdout };
  }, 120_000);

  /** Starts a cluster run of `run` into `out` and sends `signal` once chain 1 has `rows` draws on disk; resolves with the exit code. */
  const interrupted = (out: string, signal: NodeJS.Signals, rows: number) =>
    new Promise<number | null>((resolve) => {
      const coordinator = spawn(process.execPath, [sampoJs, ...run, "--out", out, "--nats", server.url], { cwd: root, stdio: "ignore" });
      const poll = setInterval(() => {
        if (rowsSoFar(join(out, "chain-1.csv")) < rows) return;
        clearInterval(poll);
        coordinator.kill(signal);
      }, 5);
      coordinator.once("exit", (code) => {
        clearInterval(poll);
        resolve(code);
      });
    });

  /** The run in `out`, resumed over NATS, ends with the local run's files and printout. */
  const expectResumedToLocal = async (out: string) => {
    const resumed = await sampo(["sample", "examples/logistic.ts", "--out", out, "--resume", "--nats", server.url]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const reference = local.dir;
    for (const k of [1, 2]) expect(withoutTimes(join(out, `chain-${k}.csv`))).toEqual(withoutTimes(join(reference, `chain-${k}.csv`)));
    expect(readFileSync(join(out, "summary.json"), "utf8")).toBe(readFileSync(join(reference, "summary.json"), "utf8"));
    expect(resumed.stdout).toBe(local.stdout);
  };

  it("a coordinator SIGKILLed mid-run, restarted with --resume, ends with the local run's files", async () => {
    const out = tmp();
    // Killed once chain 1 has 200 draws on disk: past warm-up, its workers still sampling.
    await interrupted(out, "SIGKILL", 200);
    expect(rowsSoFar(join(out, "chain-1.csv"))).toBeLessThan(DRAWS);
    // The workers keep sampling into the run's stream while no coordinator reads it.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await expectResumedToLocal(out);
  }, 180_000);

  it("Ctrl-C stops a cluster run (exit 130, the workers stop its chains) and --resume ends with the local run's files", async () => {
    const out = tmp();
    expect(await interrupted(out, "SIGINT", 100)).toBe(130);
    expect(existsSync(join(out, "summary.json"))).toBe(false);
    const id = JSON.parse(readFileSync(join(out, "run.json"), "utf8")).run as string;
    await Promise.all(
      workers.map((w) => w.waitFor(new RegExp(`run ${id} chain \\d: (stopped by its coordinator|done)`), 30_000).catch(() => undefined)),
    );
    expect(workers.map((w) => w.log()).join("")).toContain(`run ${id} chain 1: stopped by its coordinator`);
    await expectResumedToLocal(out);
  }, 180_000);

  describe("the live dashboard", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("is fed by remote chains with no change: every chain done, the table is fit.summary()", async () => {
      const dash = await openDashboard({ port: 0, frameMs: 50 });
      const page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
      await page.goto(dash.url);
      const collector = new DrawCollector();
      const { model, data } = benchmarks.eight_schools;
      for await (const msg of sampleStream(model, data as never, {
        chains: 4,
        warmup: 500,
        draws: 500,
        seed: 2,
        cluster: { servers: server.url },
      })) {
        dash.write(msg);
        collector.add(msg);
      }
      dash.close();
      const { start, chains } = collector.result();
      const fit = new Fit(start.valueLayout, start.settings, chains);
      await page.waitForSelector("body[data-finished=ok]");
      expect(await page.locator("[data-chain][data-state=done]").count()).toBe(4);
      const cells = await page.$$eval("[data-panel=summary] tbody tr", (rows) =>
        rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent ?? "")),
      );
      expect(cells).toEqual(fit.summary().map((row) => [row.name, ...SUMMARY_COLUMNS.map((c) => formatSummaryCell(c, row[c]))]));
      await page.screenshot({ path: screenshotPath("dashboard-cluster.png"), fullPage: true });
      await page.close();
      await dash.stop();
    }, 120_000);
  });
});
