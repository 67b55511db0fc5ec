/**
 * The live dashboard of a method run (not NUTS) in a real browser: the
 * method's name, a progress line that follows the engine, the result's
 * figures and warnings, the summary of the draws, NUTS's panels hidden and
 * no "NaN" anywhere. The runs are built by hand (see methodMessages.ts), fed
 * to the dashboard one step at a time so the page is seen at each.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { openDashboard, type Dashboard } from "../../src/dashboard/dashboard.ts";
import { formatSummaryCell } from "../../src/inference/diagnostics/format.ts";
import type { SampleMessage } from "../../src/runtime/messages.ts";
import { chainPixels, launchBrowser, screenshotPath } from "../helpers/browser.ts";
import { expectedTable, METHOD_RUN, methodDraws, methodEnd, methodStart, progress } from "./methodMessages.ts";

const text = (page: Page, selector: string) => page.locator(selector).innerText();
const tableCells = (page: Page) =>
  page.$$eval("[data-panel=summary] tbody tr", (rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent ?? "")));
/** Every text of the page, shown or hidden. */
const allText = async (page: Page) => (await page.locator("body").textContent()) ?? "";

/** Each element's mean over all draws of `msgs`, computed here. */
function means(msgs: readonly SampleMessage[]): number[] {
  const draws = msgs.flatMap((m) => (m.type === "draw" ? [m.values] : []));
  return draws[0].map((_, j) => draws.reduce((a, d) => a + d[j], 0) / draws.length);
}

describe("the live dashboard of a method run", { timeout: 60_000 }, () => {
  let browser: Browser;
  let dash: Dashboard;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await dash?.stop();
  });

  it("shows pathfinder's progress as it comes, then k̂, its warning and the draws' summary, with NUTS's panels hidden", async () => {
    dash = await openDashboard({ port: 0, frameMs: 50 });
    page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
    await page.goto(dash.url);
    const draws = 400;
    const start = methodStart("pathfinder", 1, draws);
    dash.write(start);
    dash.write(progress("path 1", 3, { logp: -12.5, elbo: -15.25 }, 1000));
    await page.waitForSelector("[data-panel=progress] [data-phase='path 1']");
    expect(await text(page, "[data-panel=status] h1")).toContain("pathfinder");
    expect(await text(page, "[data-panel=progress]")).toBe("path 1 · iteration 3 of 1000 · log p -12.5 · ELBO -15.25");
    expect(await text(page, "[data-panel=result]")).toBe("the method's figures appear when it finishes");
    // NUTS's panels and columns do not apply: the warm-up panel is hidden, the chains table has no divergences or step size.
    expect(await page.getByRole("heading", { name: "Warm-up" }).isVisible()).toBe(false);
    expect(await page.locator("[data-panel=warmup] canvas").count()).toBe(0);
    expect(await page.locator("[data-panel=progress]").isVisible()).toBe(true);
    expect(await text(page, "[data-panel=chains] thead")).not.toMatch(/divergences|step size|draws\/s/);
    expect(await text(page, "[data-chain='1'] td:nth-child(2)")).toBe("running");

    // A later message of the same phase replaces the line; a NaN metric is a dash.
    dash.write(progress("path 2", 17, { logp: -10.125, elbo: NaN }, 1000));
    await page.waitForSelector("[data-panel=progress] [data-phase='path 2']");
    expect(await text(page, "[data-panel=progress]")).toBe("path 2 · iteration 17 of 1000 · log p -10.13 · ELBO –");

    const drawMsgs = methodDraws(1, draws);
    const warning = "path 3 failed: the ELBO was not finite at any point of the path";
    const paths = [1, 2, 3].map((path) => ({ path, ok: path !== 3, elbo: -15, bestIteration: 4, lbfgsIterations: 20 }));
    const msgs: SampleMessage[] = [
      ...drawMsgs,
      {
        type: "result",
        run: METHOD_RUN,
        method: "pathfinder",
        info: { khat: 0.42, paths, gradientEvaluations: 812, recovered: 0 },
        warnings: [warning],
      },
      ...methodEnd(1),
    ];
    for (const m of msgs) dash.write(m);
    dash.close();
    await page.waitForSelector("body[data-finished=ok]");
    await page.waitForSelector("[data-panel=summary] tbody tr");
    expect(await text(page, "[data-panel=status] p")).toBe(`finished · ${draws} of ${draws} draws`);
    expect(await text(page, "[data-panel=result] [data-figure='Pareto k̂']")).toBe("0.42");
    expect(await text(page, "[data-panel=result] [data-figure=paths]")).toBe("2 of 3 worked");
    expect(await page.$$eval("[data-panel=warnings] li", (lis) => lis.map((li) => li.textContent))).toEqual([warning]);
    // The summary is the draws' summary as printed; its means are the draws' means computed here.
    const table = await tableCells(page);
    expect(table).toEqual(expectedTable([start, ...msgs]));
    means(msgs).forEach((m, j) => expect(table[j][1]).toBe(formatSummaryCell("mean", m)));
    expect(await text(page, "[data-chain='1'] td:nth-child(2)")).toBe("done");
    for (const n of await chainPixels(page, "[data-plot=trace] canvas")) expect(n).toBeGreaterThan(100);
    for (const n of await chainPixels(page, "[data-plot=hist] canvas")) expect(n).toBeGreaterThan(100);
    expect(await allText(page)).not.toContain("NaN");
    await page.screenshot({ path: screenshotPath("dashboard-pathfinder.png"), fullPage: true });
    await page.close();
    await dash.stop();
  });

  it("shows an SMC run of two chains (runs) with its log evidence ± its standard error", async () => {
    dash = await openDashboard({ port: 0, frameMs: 50 });
    page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
    await page.goto(dash.url);
    const particles = 300;
    const start = methodStart("smc", 2, particles);
    dash.write(start);
    dash.write(progress("run 1", 5, { beta: 0.0312, ess: 512, acceptance: 0.74, logEvidence: -30.5 }));
    await page.waitForSelector("[data-panel=progress] [data-phase='run 1']");
    expect(await text(page, "[data-panel=status] h1")).toContain("smc");
    expect(await text(page, "[data-panel=progress]")).toBe(
      "run 1 · iteration 5 · β 0.0312 · ESS 512 · acceptance 0.74 · log evidence -30.5",
    );
    dash.write(progress("run 2", 9, { beta: 1, ess: 980, acceptance: 0.7, logEvidence: -23.4 }));
    await page.waitForSelector("[data-panel=progress] [data-phase='run 2']");
    const runs = [0, 1].map(() => ({ logEvidence: -23.4, betas: [0, 1], acceptance: [0.7] }));
    const msgs: SampleMessage[] = [
      ...methodDraws(1, particles),
      ...methodDraws(2, particles),
      {
        type: "result",
        run: METHOD_RUN,
        method: "smc",
        info: { logEvidence: -23.4567, logEvidenceSe: 0.0789, runs, gradientEvaluations: 9000, recovered: 0 },
        warnings: [],
      },
      ...methodEnd(2),
    ];
    for (const m of msgs) dash.write(m);
    dash.close();
    await page.waitForSelector("body[data-finished=ok]");
    await page.waitForSelector("[data-panel=summary] tbody tr");
    expect(await text(page, "[data-panel=result] [data-figure='log evidence']")).toBe("-23.46 ± 0.0789");
    expect(await text(page, "[data-panel=result] [data-figure=runs]")).toBe("2");
    expect(await text(page, "[data-panel=warnings]")).toBe("no warnings");
    expect(await page.locator("[data-chain][data-state=done]").count()).toBe(2);
    expect(await tableCells(page)).toEqual(expectedTable([start, ...msgs]));
    expect(await page.locator("p.quiet", { hasText: "draws:" }).innerText()).toBe("smc draws: 300 per chain of chains 1, 2");
    expect(await allText(page)).not.toContain("NaN");
    await page.screenshot({ path: screenshotPath("dashboard-smc.png"), fullPage: true });
  });
});
