/**
 * The live dashboard in a real browser (Debian's chromium), fed by a real run
 * of eight schools (4 chains in worker threads). The tests share one run and
 * follow it: warm-up, a reload mid-run, a second tab, the end.
 */
import { connect } from "node:net";
import { RunState } from "../../src/dashboard/runState.ts";
import { DashboardServer } from "../../src/dashboard/server.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import eight, { data } from "../../examples/eight_schools.ts";
import { openDashboard, type Dashboard } from "../../src/dashboard/dashboard.ts";
import { model } from "../../src/dsl/model.ts";
import { Fit } from "../../src/fit/fit.ts";
import { sampleStream } from "../../src/fit/sampleStream.ts";
import { formatSummaryCell, SUMMARY_COLUMNS } from "../../src/inference/diagnostics/format.ts";
import { DrawCollector } from "../../src/runtime/collect.ts";
import { chainPixels, launchBrowser, screenshotPath } from "../helpers/browser.ts";

/** What the page exposes for tests (see src/dashboard/page/live.ts). */
interface Probe {
  iterations(): number[];
  traced(): number[];
  events: number;
}

const iterations = (page: Page) => page.evaluate(() => (globalThis as unknown as { sampoDashboard: Probe }).sampoDashboard.iterations());
const traced = (page: Page) => page.evaluate(() => (globalThis as unknown as { sampoDashboard: Probe }).sampoDashboard.traced());
const tableCells = (page: Page) =>
  page.$$eval("[data-panel=summary] tbody tr", (rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent ?? "")));

// Warm-up long enough (≈ 2–5 s per chain here) that the page sees it run.
const settings = { seed: 11, chains: 4, warmup: 60_000, draws: 4_000 } as const;

describe("the live dashboard of a run", { timeout: 180_000 }, () => {
  let browser: Browser;
  let dash: Dashboard;
  let page: Page;
  let run: Promise<Fit>;

  beforeAll(async () => {
    browser = await launchBrowser();
    dash = await openDashboard({ port: 0, frameMs: 50 });
    page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
    await page.goto(dash.url);
    const collector = new DrawCollector();
    run = (async () => {
      for await (const msg of sampleStream(eight, data, settings)) {
        dash.write(msg);
        collector.add(msg);
      }
      dash.close();
      const { start, chains } = collector.result();
      return new Fit(start.valueLayout, start.settings, chains);
    })();
  });

  afterAll(async () => {
    await browser?.close();
    await dash?.stop();
  });

  it("shows draws arriving while warm-up runs, in every panel", async () => {
    await page.waitForSelector("[data-chain][data-state=warmup]");
    const first = await iterations(page);
    await page.waitForTimeout(400);
    const second = await iterations(page);
    expect(second.reduce((a, b) => a + b)).toBeGreaterThan(first.reduce((a, b) => a + b));
    for (const panel of ["status", "chains", "warnings", "picker", "plots", "warmup", "summary"])
      expect(await page.locator(`[data-panel=${panel}]`).count(), panel).toBe(1);
    for (const plot of ["trace", "warmup-stepSize", "warmup-treeDepth", "warmup-acceptStat", "warmup-nLeapfrog"])
      expect(await page.locator(`[data-plot=${plot}] canvas`).count(), plot).toBeGreaterThan(0);
    // Chains in warm-up show their window phase in words.
    expect(await page.locator("[data-chain][data-state=warmup] td:nth-child(2)").first().textContent()).toMatch(/buffer|window \d+ of \d+/);
    // A trace of thousands of iterations draws thousands of chain-coloured pixels; an empty plot none.
    for (const n of await chainPixels(page, "[data-plot=trace] canvas")) expect(n).toBeGreaterThan(500);
    for (const n of await chainPixels(page, "[data-plot=warmup-stepSize] canvas")) expect(n).toBeGreaterThan(500);
    await page.screenshot({ path: screenshotPath("dashboard-warmup.png"), fullPage: true });
  });

  it("catches up with the history after a reload mid-run", async () => {
    const before = await iterations(page);
    await page.reload();
    await page.waitForFunction(
      (min) => ((globalThis as unknown as { sampoDashboard?: Probe }).sampoDashboard?.iterations().reduce((a, b) => a + b, 0) ?? 0) >= min,
      before.reduce((a, b) => a + b),
    );
    // The trace covers each chain from its first iteration, not only what arrived after the reload.
    const after = await iterations(page);
    const covered = await traced(page);
    after.forEach((iter, k) => expect(covered[k]).toBeGreaterThanOrEqual(Math.min(iter, before[k]) - 2 * 64));
  });

  it("serves two tabs that agree, and at the end shows fit.summary() as printed and fit.diagnostics()' warnings", async () => {
    const second = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
    await second.goto(dash.url);
    const fit = await run;
    for (const p of [page, second]) await p.waitForSelector("body[data-finished=ok]");
    // The last summary is sent before the end event.
    const expected = fit.summary().map((row) => [row.name, ...SUMMARY_COLUMNS.map((c) => formatSummaryCell(c, row[c]))]);
    expect(await tableCells(page)).toEqual(expected);
    expect(await tableCells(second)).toEqual(expected);
    expect(await iterations(second)).toEqual(await iterations(page));
    const warnings = await page.$$eval("[data-panel=warnings] li", (lis) => lis.map((li) => li.textContent));
    expect(warnings).toEqual(fit.diagnostics().warnings);
    for (const kind of ["hist", "rank"])
      for (const n of await chainPixels(page, `[data-plot=${kind}] canvas`)) expect(n, kind).toBeGreaterThan(100);
    await page.screenshot({ path: screenshotPath("dashboard-finished.png"), fullPage: true });
    await second.close();
  });
});

describe("a reader that stops reading", () => {
  it("is skipped, not queued: the server's buffer for it stays bounded, and it gets a snapshot when it reads again", async () => {
    const state = new RunState();
    const server = new DashboardServer(state, { port: 0, frameMs: 60_000 });
    const url = new URL(await server.listen());
    // A raw client that asks for the event stream and then reads nothing.
    const socket = connect(Number(url.port), url.hostname);
    socket.write(`GET /events?sel=0,1,2,3,4,5,6,7,8,9 HTTP/1.1\r\nHost: 127.0.0.1:${url.port}\r\n\r\n`);
    socket.pause();
    await new Promise((r) => setTimeout(r, 200));
    let maxBuffered = 0;
    let count = 0;
    for await (const msg of sampleStream(eight, data, { seed: 2, chains: 2, warmup: 20_000, draws: 20_000, workers: 0 })) {
      state.add(msg, Date.now());
      // A frame every 100 draws: far more than a stalled socket takes in.
      if (++count % 100 === 0) {
        server.flush();
        maxBuffered = Math.max(maxBuffered, ...server.buffered());
        await new Promise((r) => setImmediate(r));
      }
    }
    server.flush();
    // 800 frames of 10 traces were produced; what waits for the reader is the socket's buffer
    // plus at most one event past it (a snapshot of ≤ 1024 slots × 15 series × 2 chains ≈ 0.6 MB).
    expect(maxBuffered).toBeLessThan(1_000_000);
    let received = "";
    socket.on("data", (b: Buffer) => (received += b.toString()));
    socket.resume();
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => received.includes('"type":"end"') && (clearInterval(t), resolve()), 50);
      setTimeout(() => reject(new Error(`no end event; got ${received.length} bytes`)), 20_000);
    });
    // After draining it was sent a fresh snapshot (what it missed), then the end.
    expect(received.lastIndexOf('"type":"snapshot"')).toBeGreaterThan(received.indexOf('"type":"frame"'));
    socket.destroy();
    await server.close();
  });
});

describe("names are data", () => {
  it("shows a site named as HTML markup as text, running nothing", async () => {
    const markup = "<img src=x onerror=alert(1)>";
    const hostile = model((m) => {
      const a = m.sample(markup, m.normal(0, 1));
      m.sample("__proto__", m.normal(a, 1), { shape: [2] });
      return {};
    });
    const browser = await launchBrowser();
    const dash = await openDashboard({ port: 0 });
    try {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      page.on("dialog", (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(dash.url);
      for await (const msg of sampleStream(hostile, undefined, { seed: 4, chains: 2, warmup: 200, draws: 200, workers: 0 }))
        dash.write(msg);
      dash.close();
      await page.waitForSelector("body[data-finished=ok]");
      await page.waitForSelector("[data-panel=summary] tbody tr");
      expect(await page.locator("img").count()).toBe(0);
      expect(dialogs).toEqual([]);
      const names = await page.$$eval("[data-panel=summary] tbody tr td:first-child", (tds) => tds.map((td) => td.textContent));
      expect(names).toEqual([markup, "__proto__[1]", "__proto__[2]"]);
      expect(await page.locator("[data-panel=picker]").textContent()).toContain(markup);
    } finally {
      await browser.close();
      await dash.stop();
    }
  });
});
