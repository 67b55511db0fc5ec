/**
 * The example page (examples/browser/), loaded from its own server
 * (scripts/exampleBrowser.ts, as `npm run example:browser` serves it) in
 * chromium: edit one school's effect, press Sample, wait for the four chains
 * (in Web Workers) to finish; the trace plots drew every chain, and the
 * summary table shows every element with the numbers Node's `sample` gives
 * for the edited data and the same settings. Leaves a screenshot in
 * test-output/browser-example.png.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import eightSchools, { data } from "../../examples/eight_schools.ts";
import { type ExampleServer, serveExample } from "../../scripts/exampleBrowser.ts";
import { sample } from "../../src/fit/sample.ts";
import { formatSummaryCell, SUMMARY_COLUMNS } from "../../src/inference/diagnostics/format.ts";
import { chainPixels, launchBrowser, screenshotPath } from "../helpers/browser.ts";

/**
 * The run the test asks the page for: long enough that its draws arrive over
 * several frames (500 + 500 gave 1–3 once NUTS ran in WebAssembly; 500 + 2500
 * gave 5–7).
 */
const RUN = { seed: 3, warmup: 1000, draws: 4000 };
/** School A's effect, edited in the page. */
const EDITED_Y = 40;

/** What the test reads of the page's probe (examples/browser/main.ts). */
interface ExampleProbe {
  readonly data: { readonly y: number[] };
  readonly liveFrames: number;
}

/** The part of a table row read here (tests are typed without the DOM library). */
interface TableRow {
  querySelectorAll(selector: "td"): Iterable<{ readonly textContent: string | null }>;
}

describe("the example page (chromium)", () => {
  let browser: Browser;
  let server: ExampleServer;
  beforeAll(async () => {
    server = await serveExample(0, `${import.meta.dirname}/../../test-output/browser-example`);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("samples the edited data in Web Workers, draws the traces live and fills in the summary", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForSelector('body[data-state="idle"]');
    await page.fill('[data-field="y-0"]', String(EDITED_Y));
    for (const [field, value] of Object.entries(RUN)) await page.fill(`[data-field="${field}"]`, String(value));
    await page.click("#sample");
    await page.waitForSelector('body[data-state="done"], body[data-state="failed"]', { timeout: 60_000 });
    const status = await page.textContent("#status");
    expect(await page.getAttribute("body", "data-state"), status ?? "").toBe("done");
    await page.screenshot({ path: screenshotPath("browser-example.png"), fullPage: true });
    expect(errors).toEqual([]);

    const probe = await page.evaluate(() => (globalThis as unknown as { sampoExample: ExampleProbe }).sampoExample);
    expect(probe.data.y).toEqual([EDITED_Y, ...data.y.slice(1)]);
    // The plots were redrawn as draws streamed, not once at the end.
    expect(probe.liveFrames).toBeGreaterThanOrEqual(2);
    const pixels = await chainPixels(page, '[data-plot="trace"] canvas');
    expect(pixels).toHaveLength(10);
    for (const n of pixels) expect(n).toBeGreaterThan(500);

    // The table: every element, with the digits of Node's summary of the same run (the same draws, bit for bit).
    const cells = await page.$$eval("table.summary tbody tr", (rows) =>
      (rows as unknown as TableRow[]).map((r) => Array.from(r.querySelectorAll("td"), (td) => td.textContent ?? "")),
    );
    const fit = await sample(eightSchools, { ...data, y: [EDITED_Y, ...data.y.slice(1)] }, { ...RUN, chains: 4, workers: 0 });
    const expected = fit.summary().map((row) => [row.name, ...SUMMARY_COLUMNS.map((c) => formatSummaryCell(c, row[c]))]);
    expect(cells.map((r) => r[0])).toEqual(["mu", "tau", ...Array.from({ length: 8 }, (_, j) => `theta[${j + 1}]`)]);
    expect(cells).toEqual(expected);
  }, 120_000);
});
