/**
 * `sampo report`: the HTML report of a finished run directory, checked as a
 * user sees it: one file, opened from disk in a real browser with the
 * network blocked, every plot drawn in the chains' colours, the summary
 * table as the CLI prints it, names shown as text however hostile.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import eight, { data } from "../../examples/eight_schools.ts";
import { reportData, reportHtml, writeReport } from "../../src/dashboard/report.ts";
import { formatSummaryCell, SUMMARY_COLUMNS } from "../../src/inference/diagnostics/format.ts";
import { summarize } from "../../src/inference/diagnostics/report.ts";
import { type Model, model, type Outputs } from "../../src/dsl/model.ts";
import { readStanCsv } from "../../src/io/stanCsv/index.ts";
import { sampleStream, type StreamOptions } from "../../src/fit/sampleStream.ts";
import { chainsOnDisk, csvPath } from "../../src/runtime/drawLog.ts";
import type { SampleMessage } from "../../src/runtime/messages.ts";
import { RunDirectory } from "../../src/runtime/runDirectory.ts";
import { chainPixels, launchBrowser, screenshotPath } from "../helpers/browser.ts";

const PLOT_KINDS = ["trace", "rank", "autocorr", "pair", "forest", "energy"] as const;

/** A site name that is markup, and one that would end the data's script element. */
const IMG = "<img src=x onerror=alert(1)>";
const SCRIPT = "</script><script>alert(2)</script>";

/** Three parameters: two whose names a crafted stream turns into markup (see `markupNames`), and a Unicode one. */
const hostileReport = model((m) => {
  const a = m.sample("constructor", m.normal(0, 1));
  const b = m.sample("toString", m.normal(a, 1));
  m.sample("σ", m.normal(b, 1));
  return {};
});

/**
 * The start message with `constructor` and `toString` renamed to IMG and
 * SCRIPT: no model may name a site so (the build refuses it), but a run
 * directory written from a crafted stream can, and the report must cope.
 */
function markupNames(msg: SampleMessage): SampleMessage {
  if (msg.type !== "start") return msg;
  const renamed = new Map([
    ["constructor", IMG],
    ["toString", SCRIPT],
  ]);
  return { ...msg, valueLayout: msg.valueLayout.map((e) => ({ ...e, name: renamed.get(e.name) ?? e.name })) };
}

/** Samples `mdl` (named `name`) into a new run directory, its messages passed through `edit`. */
async function runDirectory<D, O extends Outputs>(
  name: string,
  mdl: Model<D, O>,
  d: D,
  opts: StreamOptions,
  edit: (msg: SampleMessage) => SampleMessage = (msg) => msg,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "sampo-report-"));
  const sink = new RunDirectory(dir, name);
  for await (const msg of sampleStream(mdl, d, opts)) sink.add(edit(msg));
  return dir;
}

/** What went wrong while a page was open: uncaught errors, console errors (CSP violations among them), dialogs, requests off disk. */
interface Troubles {
  readonly errors: string[];
  readonly requests: string[];
}

/** Opens `file` in a new page with every request off the disk refused (and recorded). */
async function openOffline(browser: Browser, file: string): Promise<{ page: Page; troubles: Troubles }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const troubles: Troubles = { errors: [], requests: [] };
  await context.route("**", (r) => {
    if (r.request().url().startsWith("file:")) return r.continue();
    troubles.requests.push(r.request().url());
    return r.abort();
  });
  const page = await context.newPage();
  page.on("pageerror", (e) => troubles.errors.push(`page error: ${e.message}`));
  page.on("console", (m) => void (m.type() === "error" && troubles.errors.push(`console: ${m.text()}`)));
  page.on("dialog", (d) => {
    troubles.errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(`file://${file}`);
  await page.waitForSelector("body[data-ready]", { timeout: 20_000 });
  expect(await page.getAttribute("body", "data-ready")).toBe("true");
  return { page, troubles };
}

describe("sampo report", () => {
  let browser: Browser;
  let dir: string;
  let file: string;
  let html: string;

  beforeAll(async () => {
    // Centered eight schools sampled as written (reparam off) with Stan's warm-up: it diverges, so the pair plot and traces have
    // divergences to mark (17–94 over seeds 1–6 of 4 × 300 draws; sampo's own warm-up leaves 0–8, sometimes none).
    const opts = { seed: 3, chains: 4, warmup: 300, draws: 300, workers: 0, reparam: false, adapt: "stan" } as const;
    dir = await runDirectory("eight_schools.ts", eight, data, opts);
    file = join(dir, "report.html");
    await writeReport(dir, file);
    html = readFileSync(file, "utf8");
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("is one self-contained HTML file: no links, no external scripts, no URLs to load", () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<script\b[^>]*\bsrc\s*=/i);
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/);
    expect(html.match(/<script\b/g)).toHaveLength(2);
    expect(html).toContain('<script type="application/json" id="sampo-report">');
  });

  it("opens from disk with the network blocked, and draws every plot in the chains' colours", async () => {
    const { page, troubles } = await openOffline(browser, file);
    const data = reportData(dir);
    expect(data.divergentTotal).toBeGreaterThan(0);
    const expected: Record<(typeof PLOT_KINDS)[number], number> = {
      trace: data.elements.length,
      rank: data.elements.length,
      autocorr: data.elements.length,
      pair: 1,
      forest: 1,
      energy: 4,
    };
    expect(data.elements.map((e) => e.name)).toEqual(["mu", "tau", ...Array.from({ length: 6 }, (_, i) => `theta[${i + 1}]`)]);
    for (const kind of PLOT_KINDS) {
      const plots = page.locator(`[data-plot="${kind}"]`);
      expect(await plots.count(), kind).toBe(expected[kind]);
      for (let i = 0; i < expected[kind]; i++) {
        const id = `report-plot-${kind}-${i}`;
        await plots.nth(i).evaluate((e, v) => e.setAttribute("data-test-id", v), id);
        // A drawn chain is a line, a histogram or points across the plot: hundreds of pixels in a chain's colour.
        // An undrawn plot has none (axes, grid and labels are grey or black), so 100 separates the two with room to spare.
        const pixels = (await chainPixels(page, `[data-test-id="${id}"] canvas`)).reduce((a, b) => a + b, 0);
        expect(pixels, `${kind} ${i}`).toBeGreaterThan(100);
      }
    }
    expect(await page.locator("[data-panel=plots] .note").textContent()).toBe(
      "2 more elements are not plotted (theta[7], theta[8]); the summary table has them all.",
    );
    expect(await page.locator("[data-panel=energy]").textContent()).toMatch(/chain 1 · E-BFMI \d\.\d{3}/);
    expect(troubles).toEqual({ errors: [], requests: [] });
    await page.screenshot({ path: screenshotPath("report.png"), fullPage: true });
  });

  it("shows the summary table cell for cell as the CLI prints it", async () => {
    const layout = readStanCsv(readFileSync(csvPath(dir, 1), "utf8")).layout;
    const rows = summarize(layout, chainsOnDisk(dir, 4));
    const { page } = await openOffline(browser, file);
    const cells = await page.$$eval("table.summary tbody tr", (trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)),
    );
    expect(cells).toEqual(rows.map((r) => [r.name, ...SUMMARY_COLUMNS.map((c) => formatSummaryCell(c, r[c]))]));
    expect(await page.$$eval("table.summary thead th", (ths) => ths.map((th) => th.textContent))).toEqual(["variable", ...SUMMARY_COLUMNS]);
  });

  it("embeds the same numbers the library computes, NaN and all", () => {
    const data = reportData(dir);
    const text = /<script type="application\/json" id="sampo-report">(.*?)<\/script>/s.exec(html)![1];
    expect(JSON.parse(text).summary[0].name).toBe("mu");
    expect(data.elements[0].trace).toHaveLength(4);
    expect(data.elements[0].trace[0]).toHaveLength(300);
    expect(data.elements[0].autocorr[0]).toHaveLength(51);
    expect(data.elements[0].autocorr[0][0]).toBe(1);
    expect(data.elements[0].ranks.flat().reduce((a, b) => a + b, 0)).toBe(1200);
    expect(data.pairs!.values.map((v) => v.length)).toEqual([1200, 1200, 1200, 1200]);
    expect(data.pairs!.divergent.filter(Boolean)).toHaveLength(data.divergentTotal);
    expect(data.forest.pooled.map((q) => q.q50)).toEqual(data.summary.map((r) => r.q50));
  });
});

describe("sampo report of hostile names", () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = await runDirectory(IMG, hostileReport, undefined, { seed: 1, chains: 2, warmup: 100, draws: 100, workers: 0 }, markupNames);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("shows a name that is markup as text, and no name ends the data's script element", async () => {
    expect(reportData(dir).names).toEqual([IMG, SCRIPT, "σ"]);
    const html = await reportHtml(dir);
    expect(html).not.toContain(IMG);
    expect(html).not.toContain("</script><script>alert");
    expect(html.match(/<script\b/g)).toHaveLength(2);
    const file = join(dir, "report.html");
    writeFileSync(file, html);
    const { page, troubles } = await openOffline(browser, file);
    const text = (await page.textContent("body")) ?? "";
    expect(text).toContain(IMG);
    expect(text).toContain(SCRIPT);
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.textContent("h1")).toBe(`sampo report · ${IMG}`);
    expect(await page.title()).toBe(`sampo report · ${IMG}`);
    expect(await page.$$eval("table.summary tbody td:first-child", (tds) => tds.map((td) => td.textContent))).toEqual([IMG, SCRIPT, "σ"]);
    expect(troubles).toEqual({ errors: [], requests: [] });
    await page.screenshot({ path: screenshotPath("report-hostile.png"), fullPage: true });
  });

  it("says in words which file is missing or unfinished", () => {
    const empty = mkdtempSync(join(tmpdir(), "sampo-report-empty-"));
    expect(() => reportData(empty)).toThrow(`${join(empty, "run.json")} does not exist: ${empty} is not a run directory`);
    expect(() => reportData(join(empty, "nowhere"))).toThrow(/nowhere is not a directory/);

    const noChain = join(empty, "no-chain");
    cpSync(dir, noChain, { recursive: true });
    rmSync(csvPath(noChain, 2));
    expect(() => reportData(noChain)).toThrow(`${csvPath(noChain, 2)} does not exist: the run in ${noChain} has 2 chains`);

    const short = join(empty, "short");
    cpSync(dir, short, { recursive: true });
    const csv = readFileSync(csvPath(short, 1), "utf8").split("\n");
    const firstRow = csv.findIndex((l) => /^-?\d/.test(l));
    writeFileSync(csvPath(short, 1), csv.slice(0, firstRow + 40).join("\n") + "\n");
    expect(() => reportData(short)).toThrow(`the run in ${short} has not finished: ${csvPath(short, 1)} has 40 of 100 draws`);

    const stopped = join(empty, "stopped");
    cpSync(dir, stopped, { recursive: true });
    writeFileSync(
      join(stopped, "checkpoint-2.json"),
      JSON.stringify({
        format: "sampo.checkpoint/1",
        run: "r",
        chain: 2,
        csvBytes: 0,
        done: false,
        state: { version: 1, iter: 0, theta: [], rng: { seed: 0, stream: 2, counter: 0, used: 2 } },
      }),
    );
    expect(() => reportData(stopped)).toThrow(/has not finished: chain 2 stopped at a checkpoint; .*--resume --out/);
    rmSync(empty, { recursive: true, force: true });
  });
});
