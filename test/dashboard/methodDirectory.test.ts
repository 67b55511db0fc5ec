/**
 * The dashboard of a method's run directory (`sampo dashboard DIR` on a
 * `sampo pathfinder … --out DIR`) in a real browser. A method writes its
 * draws and figures only when it finishes, and not its progress: while it
 * runs the page says so (the method, running, no values yet); once the
 * files are written it shows the run as the live page would, from the same
 * messages (see methodMessages.ts), read back from disk.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboard, type SourceDashboard } from "../../src/dashboard/dashboard.ts";
import type { SampleMessage } from "../../src/runtime/messages.ts";
import { MethodDirectory } from "../../src/runtime/methodDirectory.ts";
import { chainPixels, launchBrowser, screenshotPath } from "../helpers/browser.ts";
import { expectedTable, METHOD_RUN, methodDraws, methodEnd, methodStart, progress } from "./methodMessages.ts";

const text = (page: Page, selector: string) => page.locator(selector).innerText();
const tableCells = (page: Page) =>
  page.$$eval("[data-panel=summary] tbody tr", (rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent ?? "")));

describe("the dashboard of a method's run directory", { timeout: 60_000 }, () => {
  let browser: Browser;
  let dash: SourceDashboard | undefined;
  const dir = mkdtempSync(join(tmpdir(), "sampo-dash-method-"));

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await dash?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows a pathfinder run as running until its files are written, then its draws, k̂, paths and warning", async () => {
    const draws = 400;
    const start = methodStart("pathfinder", 1, draws);
    const writer = new MethodDirectory(dir, "m.ts");
    writer.add(start);
    writer.add(progress("path 1", 3, { logp: -12.5 }, 1000));
    dash = await dashboard(dir, { port: 0, frameMs: 50 });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
    await page.goto(dash.url);

    // Running: the method and its run from run.json; no values, progress or figures yet.
    await page.waitForSelector("[data-panel=status] [data-method=pathfinder]");
    expect(await text(page, "[data-panel=status] h1")).toBe(`sampo · pathfinder · ${METHOD_RUN}`);
    expect(await text(page, "[data-panel=status] p")).toBe(`running · 0 of ${draws} draws`);
    expect(await text(page, "[data-chain='1'] td:nth-child(2)")).toBe("running");
    expect(await text(page, "[data-panel=progress]")).toBe("not recorded in a run directory");
    expect(await text(page, "[data-panel=result]")).toBe("the method's figures appear when it finishes");
    expect(await text(page, "[data-panel=plots]")).toBe("the draws appear when the method finishes");
    expect(await page.getByRole("heading", { name: "Warm-up" }).isVisible()).toBe(false);
    await page.screenshot({ path: screenshotPath("dashboard-method-directory-running.png"), fullPage: true });

    // The method finishes: pathfinder.csv and run.json's figures, then summary.json.
    const warning = "path 3 failed: the ELBO was not finite at any point of the path";
    const paths = [1, 2, 3].map((path) => ({ path, ok: path !== 3, elbo: -15, bestIteration: 4, lbfgsIterations: 20 }));
    const rest: SampleMessage[] = [
      ...methodDraws(1, draws),
      { type: "result", run: METHOD_RUN, method: "pathfinder", info: { khat: 0.42, paths, gradientEvaluations: 812 }, warnings: [warning] },
      ...methodEnd(1),
    ];
    for (const m of rest) writer.add(m);
    await page.waitForSelector("body[data-finished=ok]");
    await page.waitForSelector("[data-panel=summary] tbody tr");
    expect(await text(page, "[data-panel=status] p")).toBe(`finished · ${draws} of ${draws} draws`);
    expect(await text(page, "[data-panel=result] [data-figure='Pareto k̂']")).toBe("0.42");
    expect(await text(page, "[data-panel=result] [data-figure=paths]")).toBe("2 of 3 worked");
    expect(await text(page, "[data-panel=result] [data-figure='gradient evaluations']")).toBe("812");
    expect(await page.$$eval("[data-panel=warnings] li", (lis) => lis.map((li) => li.textContent))).toEqual([warning]);
    expect(await text(page, "[data-panel=progress]")).toBe("not recorded in a run directory");
    expect(await text(page, "[data-chain='1'] td:nth-child(2)")).toBe("done");
    // The draws read back from pathfinder.csv are the run's: the same summary as the live page's.
    const table = expectedTable([start, ...rest]);
    expect(await tableCells(page)).toEqual(table);
    for (const n of await chainPixels(page, "[data-plot=trace] canvas")) expect(n).toBeGreaterThan(100);
    for (const n of await chainPixels(page, "[data-plot=hist] canvas")) expect(n).toBeGreaterThan(100);
    expect((await page.locator("body").textContent()) ?? "").not.toContain("NaN");
    await page.screenshot({ path: screenshotPath("dashboard-method-directory.png"), fullPage: true });
    await dash.finished;

    // A page opened afterwards sees the same.
    const later = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
    await later.goto(dash.url);
    await later.waitForSelector("body[data-finished=ok]");
    await later.waitForSelector("[data-panel=summary] tbody tr");
    expect(await tableCells(later)).toEqual(table);
    expect(await text(later, "[data-panel=result] [data-figure='Pareto k̂']")).toBe("0.42");
  });
});
