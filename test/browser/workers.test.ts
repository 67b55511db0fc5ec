/**
 * Chains in Web Workers: the page samples eight schools with its chains in
 * workers started from sampo.worker.js (beside the bundle, found from its
 * URL), with no cross-origin isolation (the test pages have none, so no
 * SharedArrayBuffer). The draws must equal Node's for the same seed and
 * settings, bit for bit; a slow consumer holds the workers back (credits);
 * a worker that dies is restarted from its chain's last checkpoint, as in
 * Node (supervisor.ts); one that keeps dying, an error of the chain itself,
 * or a worker script that cannot be loaded end the run with a clear error,
 * never a hang; a stop checkpoints.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import eightSchools, { data } from "../../examples/eight_schools.ts";
import { sampleStream } from "../../src/fit/sampleStream.ts";
import type { SampleMessage } from "../../src/runtime/messages.ts";
import { STOPPED_MESSAGE } from "../../src/runtime/run.ts";
import type { Fault } from "../../src/runtime/workers/protocol.ts";
import { launchBrowser } from "../helpers/browser.ts";
import { byChain, collect, expectWellFormed } from "../runtime/runs.ts";
import { DrawCollector } from "../../src/runtime/collect.ts";
import { Fit } from "../../src/fit/fit.ts";
import { benchmarkReference, compareToReference } from "../helpers/reference.ts";
import { type BuiltFiles, buildFiles, openSamplingPage, runInPage } from "./samplingPage.ts";

const SETTINGS = { chains: 4, warmup: 200, draws: 200, seed: 7, checkpointEvery: 25 } as const;

/** Per draw, sorted by chain and iteration (chains interleave): chain, iteration, warm-up flag, then values and statistics as numbers. */
function drawRows(msgs: readonly SampleMessage[]): number[][] {
  return msgs
    .flatMap((m) => (m.type === "draw" ? [m] : []))
    .sort((a, b) => a.chain - b.chain || a.iter - b.iter)
    .map((m) => [m.chain, m.iter, m.warmup ? 1 : 0, ...m.values, ...Object.values(m.stats).map(Number)]);
}

/** Whether two runs' draws are the same numbers, bit for bit (Object.is: -0 is not 0). */
function sameBits(a: readonly number[][], b: readonly number[][]): boolean {
  return a.length === b.length && a.every((row, i) => row.length === b[i].length && row.every((x, j) => Object.is(x, b[i][j])));
}

describe("chains in Web Workers (chromium)", () => {
  let browser: Browser;
  let files: BuiltFiles;
  let inNode: SampleMessage[];
  beforeAll(async () => {
    files = await buildFiles("workers");
    browser = await launchBrowser();
    inNode = await collect(sampleStream(eightSchools, data, { ...SETTINGS, workers: 0 }));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("4 chains in 2 Web Workers give Node's draws for the same seed, bit for bit, streamed as the same messages", async () => {
    const { page, errors } = await openSamplingPage(browser, files);
    const run = await runInPage(page, data, { ...SETTINGS, workers: 2 });
    expect(run.error).toBeUndefined();
    expect(errors).toEqual([]);
    const inPage = run.messages;
    expectWellFormed(inPage, 4, SETTINGS.warmup, SETTINGS.draws);
    // The supervisor ran (in-page chains leave its statistics untouched), and the chains interleaved.
    expect(run.stats.maxQueued).toBeGreaterThan(0);
    const order = inPage.flatMap((m) => (m.type === "draw" ? [m.chain] : []));
    expect(order.indexOf(2)).toBeLessThan(order.lastIndexOf(1));
    const [startP, startN] = [inPage[0], inNode[0]];
    if (startP.type !== "start" || startN.type !== "start") throw new Error("no start message");
    expect(startP.modelHash).toBe(startN.modelHash);
    expect(startP.centering).toEqual(startN.centering);
    expect(byChain(inPage)).toEqual(byChain(inNode));
    expect(sameBits(drawRows(inPage), drawRows(inNode))).toBe(true);
  }, 60_000);

  it("a slow consumer holds the workers back: the queue stays under twice the high-water mark per worker", async () => {
    const { page } = await openSamplingPage(browser, files);
    const highWaterMark = 16;
    const run = await runInPage(page, data, { ...SETTINGS, chains: 2, warmup: 150, draws: 150, workers: 2, highWaterMark }, { delayMs: 1 });
    expect(run.error).toBeUndefined();
    expect(run.messages.filter((m) => m.type === "draw")).toHaveLength(600);
    // Without credits the workers (far faster than a draw per millisecond) would queue most of the 600 draws.
    expect(run.stats.maxQueued).toBeGreaterThan(0);
    expect(run.stats.maxQueued).toBeLessThanOrEqual(2 * 2 * highWaterMark + 4);
  }, 60_000);

  it("restarts chains whose worker died (terminated, threw, exited) with Node's uninterrupted draws, each once", async () => {
    const { page, errors } = await openSamplingPage(browser, files);
    const faults: Fault[] = [
      { chain: 1, iter: 130, how: "terminate" }, // ended from the page, mid-warm-up
      { chain: 2, iter: 290, how: "exit" }, // a Web Worker cannot exit: an uncaught error stands for it
      { chain: 3, iter: 60, how: "throw" }, // an uncaught exception in the worker
    ];
    const run = await runInPage(page, data, { ...SETTINGS, workers: 2, faults });
    expect(run.error).toBeUndefined();
    expectWellFormed(run.messages, 4, SETTINGS.warmup, SETTINGS.draws);
    expect(byChain(run.messages)).toEqual(byChain(inNode));
    expect(run.stats.restarts).toBe(faults.length);
    const from = (chain: number) => run.stats.resumedFrom.filter((r) => r.chain === chain).map((r) => r.iter);
    expect(from(1)[0]).toBeGreaterThanOrEqual(125);
    expect(from(2)).toEqual([275]);
    expect(from(3)).toEqual([50]);
    // The workers' errors were handled, not left to the page as uncaught.
    expect(errors).toEqual([]);
  }, 60_000);

  it("a chain whose worker keeps dying fails sample() with an error naming it and why, not a hang", async () => {
    const { page } = await openSamplingPage(browser, files);
    const faults: Fault[] = [{ chain: 3, iter: 40, how: "throw", attempt: "every" }];
    const run = await runInPage(page, data, { ...SETTINGS, workers: 2, maxRetries: 2, faults }, { collect: true });
    expect(run.error).toMatch(
      /chain 3: its worker died 3 times, the last time because uncaught Error: injected fault: chain 3 iteration 40; giving up/,
    );
    expect(run.stats.restarts).toBe(2);
  }, 60_000);

  it("an error of the chain itself in a worker fails sample() once, with its reason, without a restart", async () => {
    const { page } = await openSamplingPage(browser, files);
    // A deterministic failure: an initial value outside the support.
    const init = { mu: 0, tau: -1, theta: [0, 0, 0, 0, 0, 0, 0, 0] };
    const run = await runInPage(page, data, { ...SETTINGS, workers: 2, reparam: false, init }, { collect: true });
    expect(run.error).toMatch(/initial point/);
    expect(run.stats.restarts).toBe(0);
  }, 60_000);

  it("a worker module that cannot be loaded fails sample() saying which file, not a hang", async () => {
    const { page } = await openSamplingPage(browser, files, { withoutWorker: true });
    const run = await runInPage(page, data, { ...SETTINGS, workers: 2 }, { collect: true });
    expect(run.error).toMatch(/its script http:\/\/sampo\.test\/sampo\.worker\.js could not be loaded/);
  }, 60_000);

  it("stops on abort: each running chain checkpoints where it is, covering every draw it delivered", async () => {
    const { page } = await openSamplingPage(browser, files);
    const run = await runInPage(page, data, { ...SETTINGS, chains: 2, workers: 2, highWaterMark: 8 }, { stopAt: { chain: 1, iter: 170 } });
    expect(run.messages.at(-1)).toMatchObject({ type: "error", message: STOPPED_MESSAGE });
    const at = run.checkpoints[1];
    expect(at).toBeLessThan(SETTINGS.warmup + SETTINGS.draws);
    expect(run.messages.filter((m) => m.type === "draw" && m.chain === 1)).toHaveLength(at);
  }, 60_000);

  it("runs chains in workers by default, with the bundle on another origin (a CDN)", async () => {
    // The browser says 4 cores, whatever this machine has: the default is then min(chains, 4) workers.
    const { page, errors } = await openSamplingPage(browser, files, { bundleOrigin: "http://cdn.test", cores: 4 });
    const run = await runInPage(page, data, { ...SETTINGS, chains: 2 });
    expect(run.error).toBeUndefined();
    expect(errors).toEqual([]);
    expect(run.stats.maxQueued).toBeGreaterThan(0);
    expect(byChain(run.messages)).toEqual(new Map([...byChain(inNode)].filter(([k]) => k <= 2)));
  }, 60_000);

  it("4 chains × 1000 draws in Web Workers agree with Stan's reference posterior of eight schools", async () => {
    const { page, errors } = await openSamplingPage(browser, files);
    const run = await runInPage(page, data, { chains: 4, warmup: 1000, draws: 1000, seed: 11, workers: 2 });
    expect(run.error).toBeUndefined();
    expect(errors).toEqual([]);
    const collector = new DrawCollector();
    for (const m of run.messages) collector.add(m);
    const { start, chains } = collector.result();
    const fit = new Fit(start.valueLayout, start.settings, chains);
    // compareToReference: z-tests of means and sds against the reference's MCSE-based errors, Bonferroni at α = 1e-3.
    expect(compareToReference(fit.summary(), benchmarkReference("eight_schools"))).toEqual([]);
  }, 120_000);
});
