/**
 * The live dashboard in a real browser (Debian's chromium), fed by a real run
 * of eight schools (4 chains in worker threads). The tests share one run and
 * follow it: warm-up, a reload mid-run, a second tab, the end.
 */
import { connect } from "node:net";
import { RunState } from "../../src/dashboard/runState.ts";
import { losslessParse, losslessStringify } from "../../src/losslessJson.ts";
import type { DashboardEvent } from "../../src/dashboard/shared/protocol.ts";
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
import type { SampleMessage } from "../../src/runtime/messages.ts";
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
    // Chains in warm-up show their window phase in words (the default warm-up is nutpie's). Read from the
    // cell that first showed it (a handle still reads a cell a later frame replaced): a fast machine may
    // finish warm-up before a second look.
    const phase = await page.waitForSelector("[data-chain][data-state=warmup] td:nth-child(2)");
    expect(await phase?.textContent()).toMatch(/^(early windows|growing windows|step size only)$/);
    const first = await iterations(page);
    await page.waitForTimeout(400);
    const second = await iterations(page);
    expect(second.reduce((a, b) => a + b)).toBeGreaterThan(first.reduce((a, b) => a + b));
    for (const panel of ["status", "chains", "warnings", "picker", "plots", "warmup", "summary"])
      expect(await page.locator(`[data-panel=${panel}]`).count(), panel).toBe(1);
    for (const plot of ["trace", "warmup-stepSize", "warmup-treeDepth", "warmup-acceptStat", "warmup-nLeapfrog"])
      expect(await page.locator(`[data-plot=${plot}] canvas`).count(), plot).toBeGreaterThan(0);
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
    // 64 chains × 1000 iterations × 16 plotted elements: ≈ 20 MB of frames, far past what the kernel's
    // socket buffers hold for a reader that reads nothing. The stride never changes (≤ 1024 iterations),
    // so any snapshot after the first frame is the one a drained reader is owed.
    const chains = 64;
    const size = 16;
    const state = new RunState();
    const server = new DashboardServer(state, { port: 0, frameMs: 60_000 });
    const url = new URL(await server.listen());
    const socket = connect(Number(url.port), url.hostname);
    socket.write(`GET /events?sel=${Array.from({ length: size }, (_, j) => j).join(",")} HTTP/1.1\r\nHost: 127.0.0.1:${url.port}\r\n\r\n`);
    socket.pause();
    await new Promise((r) => setTimeout(r, 200));
    const run = "stalled";
    const settings = {
      chains,
      draws: 900,
      warmup: 100,
      seed: 1,
      thin: 1,
      targetAccept: 0.8,
      maxDepth: 10,
      metric: "diag",
      saveWarmup: false,
      reparam: false,
    } as const;
    const valueLayout = [{ name: "x", shape: [size], offset: 0, size, kind: "parameter" as const }];
    state.add({ type: "start", version: 1, run, valueLayout, layout: [], settings, modelHash: "", dataHash: "", centering: {} }, 0);
    const stats = { lp: -1, acceptStat: 0.9, stepSize: 0.5, treeDepth: 2, nLeapfrog: 3, divergent: false, energy: 1, recovered: 0 };
    let sent = 0;
    let maxBuffered = 0;
    for (let iter = 1; iter <= 1000; iter++) {
      for (let chain = 1; chain <= chains; chain++) {
        const values = Array.from({ length: size }, (_, j) => Math.sin(iter * 0.37 + chain * 1.3 + j) * 1.234567891);
        state.add({ type: "draw", run, chain, iter, warmup: iter <= 100, values, stats }, 0);
      }
      if (iter % 20 === 0) {
        server.flush();
        sent++;
        maxBuffered = Math.max(maxBuffered, ...server.buffered());
        await new Promise((r) => setImmediate(r));
      }
    }
    for (let chain = 1; chain <= chains; chain++) state.add({ type: "chainDone", run, chain, elapsed: { warmup: 0, sampling: 0 } }, 0);
    state.add({ type: "done", run }, 0);
    server.flush();
    // While it is behind, its cursor stands still, so nothing is queued for it: what waits is at most the
    // event that filled its buffer, never more than a snapshot of the whole (bounded) history plus a frame.
    const selected = Array.from({ length: size }, (_, j) => j);
    const wholeSnapshot = losslessStringify(state.snapshot(selected).event).length;
    expect(sent).toBe(50);
    expect(maxBuffered).toBeLessThan(wholeSnapshot + 1_000_000);
    let received = "";
    socket.on("data", (b: Buffer) => (received += b.toString()));
    socket.resume();
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => received.includes('"type":"end"') && (clearInterval(t), resolve()), 50);
      setTimeout(() => reject(new Error(`no end event; got ${received.length} bytes`)), 30_000);
    });
    // The end came while it was behind: it was made up when the buffer drained. Replaying the events as the
    // page does (a snapshot resets, a frame continues where the last event stopped) gives every chain its
    // whole history.
    const events = received
      .split("\n")
      .filter((l) => l.startsWith("data: "))
      .map((l) => losslessParse(l.slice(6)) as DashboardEvent);
    const lengths = new Array<number>(chains).fill(0);
    for (const ev of events) {
      if (ev.type !== "snapshot" && ev.type !== "frame") continue;
      if (ev.type === "snapshot") lengths.fill(0);
      // (The snapshot sent before the run's start names no elements.)
      (ev.values[0] ?? []).forEach((slots, k) => {
        expect(ev.from[k]).toBe(lengths[k]);
        lengths[k] += slots.length;
      });
    }
    expect(lengths).toEqual(new Array<number>(chains).fill(1000));
    expect(events.at(-1)?.type).toBe("end");
    socket.destroy();
    await server.close();
  });
});

describe("names are data", () => {
  it("shows names that are prototype keys or Unicode as written, and a name that is HTML markup as text, running nothing", async () => {
    const named = model((m) => {
      const a = m.sample("constructor", m.normal(0, 1));
      const b = m.sample("toString", m.normal(a, 1));
      m.sample("σ", m.normal(b, 1), { shape: [2] });
      return {};
    });
    // No model may name a site so (the build refuses it); a crafted stream still can, and the page must cope.
    const markup = "<img src=x onerror=alert(1)>";
    const crafted = (msg: SampleMessage): SampleMessage =>
      msg.type === "start"
        ? { ...msg, valueLayout: msg.valueLayout.map((e) => (e.name === "constructor" ? { ...e, name: markup } : e)) }
        : msg;
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
      for await (const msg of sampleStream(named, undefined, { seed: 4, chains: 2, warmup: 200, draws: 200, workers: 0 }))
        dash.write(crafted(msg));
      dash.close();
      await page.waitForSelector("body[data-finished=ok]");
      await page.waitForSelector("[data-panel=summary] tbody tr");
      expect(await page.locator("img").count()).toBe(0);
      expect(dialogs).toEqual([]);
      const names = await page.$$eval("[data-panel=summary] tbody tr td:first-child", (tds) => tds.map((td) => td.textContent));
      expect(names).toEqual([markup, "toString", "σ[1]", "σ[2]"]);
      expect(await page.locator("[data-panel=picker]").textContent()).toContain(markup);
    } finally {
      await browser.close();
      await dash.stop();
    }
  });
});
