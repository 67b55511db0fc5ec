/**
 * sampo in a web page: dist/sampo.browser.js (built here as `npm run
 * build:browser` builds it) loaded as an ES module by Debian's chromium. The
 * page writes eight schools with the DSL, compiles it to JavaScript and
 * samples it with NUTS in its own thread (`workers: 0`; workers.test.ts
 * runs chains in Web Workers); its draws must equal Node's for the same seed
 * and settings, bit for bit, and its model hash Node's (the same model). The
 * bundle holds no Node APIs: the build refuses any (scripts/buildBrowser.ts).
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import eightSchools, { data } from "../../examples/eight_schools.ts";
import { sampleStream } from "../../src/fit/sampleStream.ts";
import type { SampleMessage } from "../../src/runtime/messages.ts";
import { launchBrowser, screenshotPath } from "../helpers/browser.ts";
import { type BuiltFiles, buildFiles, openSamplingPage, runInPage } from "./samplingPage.ts";

/** The settings both sides sample with: chains one after another in one thread. */
const SETTINGS = { chains: 2, warmup: 200, draws: 200, seed: 7, workers: 0 } as const;

/** A run's model hash and, per draw message, chain, iteration and values. */
interface Drawn {
  readonly modelHash: string;
  readonly draws: readonly (readonly [number, number, readonly number[]])[];
}

function drawn(messages: readonly SampleMessage[]): Drawn {
  const start = messages.find((m) => m.type === "start");
  if (start?.type !== "start") throw new Error("no start message");
  const draws = messages.flatMap((m) => (m.type === "draw" ? [[m.chain, m.iter, Array.from(m.values)] as const] : []));
  return { modelHash: start.modelHash, draws };
}

describe("sampo in a web page (chromium)", () => {
  let browser: Browser;
  let files: BuiltFiles;
  beforeAll(async () => {
    files = await buildFiles("nuts");
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("the bundle and its worker import nothing: self-contained ES modules", () => {
    for (const code of [files.bundle, files.worker]) {
      expect(code).not.toMatch(/^\s*import\s.*from\s/m);
      expect(code).not.toMatch(/\bfrom\s*["']node:/);
    }
  });

  it("NUTS on eight schools in the page gives Node's draws for the same seed, bit for bit", async () => {
    const { page, errors } = await openSamplingPage(browser, files);
    const result = await runInPage(page, data, SETTINGS);
    if (result.error !== undefined) throw new Error(`the page failed: ${result.error}`);
    const inPage = result.messages;

    await page.screenshot({ path: screenshotPath("browser-nuts.png") });
    expect(errors).toEqual([]);
    const inNode: SampleMessage[] = [];
    for await (const m of sampleStream(eightSchools, data, SETTINGS)) inNode.push(m);
    const [a, b] = [drawn(inPage), drawn(inNode)];
    expect(a.modelHash).toBe(b.modelHash);
    // Warm-up draws are messages too (flagged): every iteration of both chains.
    expect(a.draws.length).toBe(SETTINGS.chains * (SETTINGS.warmup + SETTINGS.draws));
    expect(a.draws).toEqual(b.draws);
    expect(inPage.at(-1)?.type).toBe("done");
  }, 120_000);
});
