/**
 * The dashboard from the command line, as a user runs it: `sampo dashboard
 * RUN_DIR` following a run that another `sampo sample` process is writing.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { chainPixels, launchBrowser, screenshotPath } from "../helpers/browser.ts";
import { root, sampo, sampoJs } from "../helpers/cli.ts";

/** Starts `sampo …args`; resolves once its stderr has printed a line matching `ready`, with the match. */
function start(args: string[], ready: RegExp): { child: ChildProcess; match: Promise<RegExpMatchArray> } {
  const child = spawn(process.execPath, [sampoJs, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  const match = new Promise<RegExpMatchArray>((resolve, reject) => {
    child.stderr!.on("data", (b: Buffer) => {
      err += b.toString();
      const m = ready.exec(err);
      if (m) resolve(m);
    });
    child.on("exit", (code) => reject(new Error(`sampo ${args[0]} exited (${code}) before '${ready}':\n${err}`)));
  });
  return { child, match };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on("exit", resolve)));
const iterations = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { sampoDashboard: { iterations(): number[] } }).sampoDashboard.iterations());

describe("sampo dashboard RUN_DIR", () => {
  const dir = mkdtempSync(join(tmpdir(), "sampo-dash-"));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows the progress of a run another process is writing, then its end", { timeout: 240_000 }, async () => {
    // Warm-up rows are not saved: during warm-up the checkpoints (every 2000 iterations) tell where chains are.
    const out = join(dir, "run");
    const writer = start(
      [
        "sample",
        "examples/eight_schools.ts",
        "--out",
        out,
        "--seed",
        "3",
        "--warmup",
        "150000",
        "--draws",
        "3000",
        "--checkpoint-every",
        "2000",
      ],
      /sampling 4 chains|iteration/,
    );
    children.push(writer.child);
    await writer.match;
    const server = start(["dashboard", out, "--port", "0"], /(http:\/\/\S+)/);
    children.push(server.child);
    const url = (await server.match)[1];
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
      await page.goto(url);
      await page.waitForFunction(() =>
        (globalThis as unknown as { sampoDashboard: { iterations(): number[] } }).sampoDashboard.iterations().some((i) => i > 0),
      );
      const first = await iterations(page);
      await page.waitForFunction(
        (before) =>
          (globalThis as unknown as { sampoDashboard: { iterations(): number[] } }).sampoDashboard.iterations().reduce((a, b) => a + b, 0) >
          before,
        first.reduce((a, b) => a + b),
        { timeout: 120_000 },
      );
      expect(await exited(writer.child)).toBe(0);
      await page.waitForSelector("body[data-finished=ok]", { timeout: 120_000 });
      expect(await iterations(page)).toEqual([153000, 153000, 153000, 153000]);
      expect(await page.locator("[data-panel=summary] tbody tr").count()).toBe(10);
      await page.screenshot({ path: screenshotPath("dashboard-run-directory.png"), fullPage: true });
    } finally {
      await browser.close();
    }
    server.child.kill("SIGINT");
    expect(await exited(server.child)).toBe(0);
  });

  it("sampo report writes one HTML file that opens without a network, every plot drawn", { timeout: 120_000 }, async () => {
    const out = join(dir, "run");
    const html = join(dir, "report.html");
    const { code, stderr } = await sampo(["report", out, "--out", html]);
    expect(code, stderr).toBe(0);
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1600 } });
      const blocked: string[] = [];
      await context.route("**", (route) =>
        route.request().url().startsWith("file:") ? route.continue() : (blocked.push(route.request().url()), route.abort()),
      );
      const page = await context.newPage();
      await page.goto(`file://${html}`);
      await page.waitForSelector("body[data-ready=true]");
      for (const kind of ["trace", "rank", "autocorr", "pair", "forest", "energy"])
        for (const n of await chainPixels(page, `[data-plot=${kind}] canvas`)) expect(n, kind).toBeGreaterThan(100);
      expect(blocked).toEqual([]);
      await page.screenshot({ path: screenshotPath("report-cli.png"), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
