/**
 * `npm run bench:dashboard`: what watching a run costs it, and how fresh and
 * smooth the page is.
 *
 * 1. Throughput: 4 chains of `simple` (d = 2, tens of thousands of draws/s
 *    per chain) on worker threads, draining the stream as the CLI does:
 *    without a dashboard, with one attached and no page, and with a page
 *    open in chromium; rounds interleaved. Figure: draws/s with ÷ without
 *    (goal ≥ 0.95).
 * 2. Latency: with the page open, per frame, the time from the oldest draw in
 *    it reaching the dashboard to the page having drawn it (p50, p95).
 * 3. Frame time: eight schools (10 parameters), 4 chains, all 10 plotted;
 *    p95 of the page's redraw time and of the interval between animation
 *    frames while it updates.
 *
 * On a 2-core machine the browser competes with the chains for the cores:
 * the with/without ratio includes the browser's own rendering work.
 *
 * ```sh
 * npm run bench:dashboard
 * npm run bench:dashboard -- --rounds 5 --iters 100000
 * ```
 * @module
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import type { Browser } from "playwright-core";
import eight, { data as eightData } from "../examples/eight_schools.ts";
import simple, { data as simpleData } from "../examples/simple.ts";
import { openDashboard } from "../src/dashboard/dashboard.ts";
import { sampleStream } from "../src/fit/sampleStream.ts";
import { launchBrowser } from "../test/helpers/browser.ts";

const { values: args } = parseArgs({ options: { rounds: { type: "string" }, iters: { type: "string" } } });
const rounds = Number(args.rounds ?? 3);
const iters = Number(args.iters ?? 60_000);

const quantile = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const median = (xs: readonly number[]) => quantile(xs, 0.5);

interface PageFigures {
  latencies: number[];
  renderTimes: number[];
  frameIntervals: number[];
}

/**
 * One run of `simple` or eight schools; with `browser`, a dashboard and an
 * open page (plotting elements `sel`) watch it; with `dashboard` alone, a
 * dashboard no page reads.
 */
async function run(
  browser: Browser | undefined,
  which: "simple" | "eight",
  options: { dashboard?: boolean; sel?: string } = {},
): Promise<{ drawsPerSec: number; page?: PageFigures }> {
  const { sel } = options;
  const dash = browser === undefined && options.dashboard !== true ? undefined : await openDashboard({ port: 0 });
  const page = browser === undefined ? undefined : await browser.newPage({ viewport: { width: 1400, height: 2400 } });
  if (page !== undefined) {
    await page.goto(`${dash!.url}${sel === undefined ? "" : `?sel=${sel}`}`);
    // Frame intervals, measured by the page's own animation-frame loop.
    // (A string: tsx's transform would wrap a function's inner functions in a helper the page lacks.)
    await page.evaluate(`
      globalThis.frameIntervals = [];
      let last = -1;
      const tick = (t) => { if (last >= 0) frameIntervals.push(t - last); last = t; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);`);
  }
  const stream =
    which === "simple"
      ? sampleStream(simple, simpleData, { seed: 1, chains: 4, warmup: iters, draws: iters })
      : sampleStream(eight, eightData, { seed: 1, chains: 4, warmup: iters / 4, draws: iters / 4 });
  let draws = 0;
  let t0 = 0;
  for await (const msg of stream) {
    if (msg.type === "start") t0 = performance.now();
    if (msg.type === "draw") draws++;
    dash?.write(msg);
  }
  const seconds = (performance.now() - t0) / 1000;
  dash?.close();
  let figures: PageFigures | undefined;
  if (page !== undefined) {
    await page.waitForSelector("body[data-finished=ok]");
    figures = await page.evaluate(() => {
      const g = globalThis as unknown as { frameIntervals: number[]; sampoDashboard: { latencies: number[]; renderTimes: number[] } };
      return { latencies: g.sampoDashboard.latencies, renderTimes: g.sampoDashboard.renderTimes, frameIntervals: g.frameIntervals };
    });
    await page.close();
  }
  await dash?.stop();
  return { drawsPerSec: draws / seconds, page: figures };
}

const browser = await launchBrowser();
console.log(`load average ${loadavg()[0].toFixed(2)}; ${rounds} rounds; simple: 4 chains × (${iters} + ${iters}) iterations`);
await run(undefined, "simple"); // warm the worker pool and the compiler
const without: number[] = [];
const serverOnly: number[] = [];
const withPage: number[] = [];
const latencies: number[] = [];
for (let r = 0; r < rounds; r++) {
  without.push((await run(undefined, "simple")).drawsPerSec);
  serverOnly.push((await run(undefined, "simple", { dashboard: true })).drawsPerSec);
  const w = await run(browser, "simple");
  withPage.push(w.drawsPerSec);
  latencies.push(...w.page!.latencies);
  console.log(
    `round ${r + 1}: without ${without[r].toFixed(0)} draws/s, dashboard ${serverOnly[r].toFixed(0)}, dashboard + page ${withPage[r].toFixed(0)}`,
  );
}
const ratio = (xs: number[]) => (median(xs) / median(without)).toFixed(3);
console.log(`\n1. throughput, median of ${rounds} (goal: with ÷ without ≥ 0.95):`);
console.log(`   without a dashboard      ${median(without).toFixed(0)} draws/s`);
console.log(`   dashboard, no page       ${median(serverOnly).toFixed(0)} draws/s  (${ratio(serverOnly)}×)`);
console.log(`   dashboard + chromium     ${median(withPage).toFixed(0)} draws/s  (${ratio(withPage)}×)`);
console.log(
  `2. update latency, draw reaching the dashboard → drawn: p50 ${median(latencies).toFixed(1)} ms, p95 ${quantile(latencies, 0.95).toFixed(1)} ms (${latencies.length} frames)`,
);
const eightRun = await run(browser, "eight", { sel: "0,1,2,3,4,5,6,7,8,9" });
const p = eightRun.page!;
console.log(
  `3. eight schools, 4 chains × 10 parameters plotted: redraw p50 ${median(p.renderTimes).toFixed(1)} ms, p95 ${quantile(p.renderTimes, 0.95).toFixed(1)} ms; ` +
    `frame interval p50 ${median(p.frameIntervals).toFixed(1)} ms, p95 ${quantile(p.frameIntervals, 0.95).toFixed(1)} ms (${p.frameIntervals.length} frames)`,
);
await browser.close();
