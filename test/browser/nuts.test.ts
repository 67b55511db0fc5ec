/**
 * sampo in a web page: dist/sampo.browser.js (built here as `npm run
 * build:browser` builds it) loaded as an ES module by Debian's chromium. The
 * page writes eight schools with the DSL, compiles it to JavaScript and
 * samples it with NUTS; its draws must equal Node's for the same seed and
 * settings, bit for bit, and its model hash Node's (the same model). The
 * bundle holds no Node APIs: the build refuses any (scripts/buildBrowser.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import eightSchools, { data } from "../../examples/eight_schools.ts";
import { buildBrowser } from "../../scripts/buildBrowser.ts";
import { sampleStream } from "../../src/fit/sampleStream.ts";
import type { SampleMessage } from "../../src/runtime/messages.ts";
import { launchBrowser, screenshotPath } from "../helpers/browser.ts";

/** The settings both sides sample with: chains one after another in one thread (the page has no chain workers yet). */
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

/** The page: imports the bundle, writes eight schools as examples/eight_schools.ts does, samples it. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>sampo in a page</title><pre id="out">loading</pre>
<script type="module">
  import { model, sampleStream } from "./sampo.browser.js";
  const eightSchools = model((m, d) => {
    const J = d.y.length;
    const mu = m.sample("mu", m.normal(0, 5));
    const tau = m.sample("tau", m.halfNormal(5));
    const theta = m.sample("theta", m.normal(mu, tau), { shape: [J] });
    m.observe("y", m.normal(theta, m.data("sigma", d.sigma)), d.y);
    return { mu, tau, theta };
  });
  window.sampleEightSchools = async (data, settings) => {
    const messages = [];
    try {
      for await (const msg of sampleStream(eightSchools, data, settings)) messages.push(msg);
    } catch (e) {
      return JSON.stringify({ error: String(e) });
    }
    document.getElementById("out").textContent = messages.length + " messages";
    return JSON.stringify(messages);
  };
  document.getElementById("out").textContent = "ready";
</script>`;

describe("sampo in a web page (chromium)", () => {
  let browser: Browser;
  let bundle: string;
  beforeAll(async () => {
    bundle = readFileSync(await buildBrowser(join(import.meta.dirname, "..", "..", "test-output", "browser")), "utf8");
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("the bundle imports nothing: one self-contained ES module", () => {
    expect(bundle).not.toMatch(/^\s*import\s.*from\s/m);
    expect(bundle).not.toMatch(/\bfrom\s*["']node:/);
  });

  it("NUTS on eight schools in the page gives Node's draws for the same seed, bit for bit", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    // The page and the bundle come from one origin, served from memory.
    await page.route("http://sampo.test/**", (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === "/") return route.fulfill({ contentType: "text/html", body: PAGE });
      if (path === "/sampo.browser.js") return route.fulfill({ contentType: "text/javascript", body: bundle });
      return route.fulfill({ status: 404, body: "" });
    });
    await page.goto("http://sampo.test/");
    await page.waitForFunction('document.getElementById("out")?.textContent === "ready"');
    const result = JSON.parse(
      await page.evaluate(
        ([d, s]) => (globalThis as unknown as { sampleEightSchools: (d: unknown, s: unknown) => Promise<string> }).sampleEightSchools(d, s),
        [data, SETTINGS] as const,
      ),
    ) as SampleMessage[] | { error: string };
    if (!Array.isArray(result)) throw new Error(`the page failed: ${result.error}`);
    const inPage = result;

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
