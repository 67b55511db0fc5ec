/**
 * A page that samples eight schools with the browser build, for the page
 * tests: the bundle and its worker module built into a folder of their own
 * (test files run in parallel), served with the page from memory through
 * `page.route`, and a function in the page that runs `sampleStream` or
 * `sample` and hands back what happened, losslessly encoded.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { buildBrowser, WORKER_FILE } from "../../scripts/buildBrowser.ts";
import { decodeMessage } from "../../src/runtime/codec.ts";
import type { SampleMessage } from "../../src/runtime/messages.ts";
import type { SupervisorStats } from "../../src/runtime/supervisor.ts";

/** The built files a page loads. */
export interface BuiltFiles {
  readonly bundle: string;
  readonly worker: string;
}

/** Builds the bundle and its worker into test-output/browser-`name`/. */
export async function buildFiles(name: string): Promise<BuiltFiles> {
  const bundle = await buildBrowser(join(import.meta.dirname, "..", "..", "test-output", `browser-${name}`));
  return { bundle: readFileSync(bundle, "utf8"), worker: readFileSync(join(dirname(bundle), WORKER_FILE), "utf8") };
}

/** Where the page comes from. */
const PAGE_ORIGIN = "http://sampo.test";

/** The page: imports the bundle, writes eight schools as examples/eight_schools.ts does, and samples it on request. */
const page = (bundleUrl: string) => `<!doctype html><meta charset="utf-8"><title>sampo in a page</title><pre id="out">loading</pre>
<script type="module">
  import { model, sample, sampleStream, encodeMessage } from ${JSON.stringify(bundleUrl)};
  const eightSchools = model((m, d) => {
    const J = d.y.length;
    const mu = m.sample("mu", m.normal(0, 5));
    const tau = m.sample("tau", m.halfNormal(5));
    const theta = m.sample("theta", m.normal(mu, tau), { shape: [J] });
    m.observe("y", m.normal(theta, m.data("sigma", d.sigma)), d.y);
    return { mu, tau, theta };
  });
  window.sampoRun = async (data, settings, how) => {
    const stats = { maxQueued: 0, restarts: 0, duplicatesDropped: 0, resumedFrom: [] };
    const stop = new AbortController();
    const checkpoints = {};
    const opts = { ...settings, stats, signal: stop.signal, onCheckpoint: (k, c) => (checkpoints[k] = c.iter) };
    const messages = [];
    try {
      if (how.collect) {
        const fit = await sample(eightSchools, data, opts);
        return JSON.stringify({ messages, stats, checkpoints, kept: fit.draws.mu.length });
      }
      for await (const msg of sampleStream(eightSchools, data, opts)) {
        messages.push(encodeMessage(msg));
        if (how.stopAt && msg.type === "draw" && msg.chain === how.stopAt.chain && msg.iter === how.stopAt.iter) stop.abort();
        if (how.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, how.delayMs));
      }
    } catch (e) {
      return JSON.stringify({ error: String(e), stats });
    }
    document.getElementById("out").textContent = messages.length + " messages";
    return JSON.stringify({ messages, stats, checkpoints });
  };
  document.getElementById("out").textContent = "ready";
</script>`;

/** How files are served to a page. */
export interface ServeOptions {
  /** The origin the bundle and worker come from (the page's by default; another one is served with CORS, as a CDN does). */
  readonly bundleOrigin?: string;
  /** Leave the worker module out (404). */
  readonly withoutWorker?: boolean;
  /** The cores the page's `navigator.hardwareConcurrency` reports (the browser's own count by default). */
  readonly cores?: number;
}

/** A new page with the sampling page loaded and ready; its uncaught errors are collected in `errors`. */
export async function openSamplingPage(
  browser: Browser,
  files: BuiltFiles,
  serve: ServeOptions = {},
): Promise<{ page: Page; errors: string[] }> {
  const p = await browser.newPage();
  const errors: string[] = [];
  p.on("pageerror", (e) => errors.push(e.message));
  if (serve.cores !== undefined)
    await p.addInitScript(
      (n) =>
        Object.defineProperty(Object.getPrototypeOf((globalThis as unknown as { navigator: object }).navigator), "hardwareConcurrency", {
          get: () => n,
        }),
      serve.cores,
    );
  const bundleOrigin = serve.bundleOrigin ?? PAGE_ORIGIN;
  const cors: Record<string, string> = bundleOrigin === PAGE_ORIGIN ? {} : { "access-control-allow-origin": "*" };
  await p.route("http://*.test/**", (route) => {
    const url = new URL(route.request().url());
    if (url.origin === PAGE_ORIGIN && url.pathname === "/")
      return route.fulfill({ contentType: "text/html", body: page(`${bundleOrigin}/sampo.browser.js`) });
    if (url.origin === bundleOrigin && url.pathname === "/sampo.browser.js")
      return route.fulfill({ contentType: "text/javascript", headers: cors, body: files.bundle });
    if (url.origin === bundleOrigin && url.pathname === `/${WORKER_FILE}` && serve.withoutWorker !== true)
      return route.fulfill({ contentType: "text/javascript", headers: cors, body: files.worker });
    return route.fulfill({ status: 404, body: "" });
  });
  await p.goto(`${PAGE_ORIGIN}/`);
  await p.waitForFunction('document.getElementById("out")?.textContent === "ready"');
  return { page: p, errors };
}

/** What to do while sampling in the page. */
export interface RunHow {
  /** Collect with `sample` (a Fit) instead of reading `sampleStream`. */
  readonly collect?: boolean;
  /** Abort the run when this draw arrives. */
  readonly stopAt?: { readonly chain: number; readonly iter: number };
  /** A slow consumer: wait this long after each message (ms). */
  readonly delayMs?: number;
}

/** What a run in the page gave: its messages (or the error it threw), the supervisor's stats, each chain's last checkpoint. */
export interface PageRun {
  readonly messages: SampleMessage[];
  readonly error?: string;
  readonly stats: SupervisorStats;
  readonly checkpoints: Readonly<Record<number, number>>;
  /** Kept draws per parameter, when collected with `sample`. */
  readonly kept?: number;
}

/** Samples eight schools in the page with `data` and `settings`. */
export async function runInPage(p: Page, data: unknown, settings: unknown, how: RunHow = {}): Promise<PageRun> {
  const raw = JSON.parse(
    await p.evaluate(
      ([d, s, h]) => (globalThis as unknown as { sampoRun: (d: unknown, s: unknown, h: unknown) => Promise<string> }).sampoRun(d, s, h),
      [data, settings, how] as const,
    ),
  ) as Omit<PageRun, "messages"> & { messages?: unknown[] };
  return { ...raw, messages: (raw.messages ?? []).map(decodeMessage) };
}
