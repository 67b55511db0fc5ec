/**
 * A chromium page with WebGPU for the WebGPU backend's tests: Debian's
 * chromium on its software adapter (SwiftShader), the test page
 * (test/browser/webgpuPage.ts) bundled with the library's browser build
 * rules and served from memory. Fails, never skips, when no adapter appears.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { browserSiblings } from "../../scripts/buildBrowser.ts";
import type { BatchResult, LockstepResult, WebGpuPage } from "../browser/webgpuPage.ts";
import { afterAll, beforeAll } from "vitest";
import type { Float32Report } from "../../src/codegen/webgpu/float32.ts";
import { worstError } from "./examplePoints.ts";
import { launchBrowser } from "./browser.ts";

/** Chromium's switches for WebGPU on its bundled software adapter. */
export const WEBGPU_ARGS = ["--enable-unsafe-webgpu", "--enable-unsafe-swiftshader"];

/** A secure context (WebGPU needs one): localhost, answered by the route below, no server. */
const ORIGIN = "http://localhost:7357";

/** Bundles `entry` (a test page module) for the browser into test-output/; returns the file. */
export async function bundlePage(entry: string, name: string): Promise<string> {
  const outfile = join(import.meta.dirname, "..", "..", "test-output", "browser", name);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    logLevel: "silent",
    plugins: [browserSiblings],
  });
  return outfile;
}

/** A page serving `script` as a module from ORIGIN, with `html` as its body. */
export async function openPage(browser: Browser, script: string, html = ""): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === "/")
      return route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><meta charset="utf-8">${html}<script type="module" src="/page.js"></script>`,
      });
    if (path === "/page.js") return route.fulfill({ contentType: "text/javascript", body: script });
    return route.fulfill({ status: 404, body: "" });
  });
  await page.goto(`${ORIGIN}/`);
  return page;
}

/** Chromium with WebGPU and the test page loaded; throws when WebGPU has no adapter. */
export async function webGpuPage(): Promise<{ browser: Browser; page: Page; adapter: string }> {
  const file = await bundlePage(join(import.meta.dirname, "..", "browser", "webgpuPage.ts"), "webgpu-page.js");
  const browser = await launchBrowser(WEBGPU_ARGS);
  const page = await openPage(browser, readFileSync(file, "utf8"));
  await page.waitForFunction(() => "sampoTest" in globalThis);
  const adapter = await page.evaluate(async () => {
    type Gpu = { requestAdapter(): Promise<{ info?: { vendor: string; architecture: string } } | null> };
    const gpu = (globalThis as unknown as { navigator: { gpu?: Gpu } }).navigator.gpu;
    const a = await gpu?.requestAdapter();
    return a ? `${a.info?.vendor}/${a.info?.architecture}` : "";
  });
  if (adapter === "") throw new Error("chromium started but WebGPU found no adapter (SwiftShader): the WebGPU tests cannot run");
  return { browser, page, adapter };
}

/** The test file's WebGPU page, opened before its tests and closed after them (read `.page` inside a test). */
export function useWebGpuPage(): { readonly page: Page } {
  let browser: Browser | undefined;
  const shared = {} as { page: Page };
  beforeAll(async () => {
    ({ browser, page: shared.page } = await webGpuPage());
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  });
  return shared;
}

/** The worst relative error of a batch's WebGPU values against its reference values (see worstError). */
export function batchError(r: BatchResult, limit = Infinity): number {
  return worstError(
    r.gpu.logp.map((logp, i) => ({ logp, grad: r.gpu.grad[i] })),
    r.ref.logp.map((logp, i) => ({ logp, grad: r.ref.grad[i] })),
    limit,
  );
}

/** The page's answer, parsed (non-finite numbers back as numbers); throws its error. */
function answer<T extends { error?: string }>(json: string, what: string): T {
  const r = JSON.parse(json, (_k, v: unknown) => (v === "NaN" || v === "Infinity" || v === "-Infinity" ? Number(v) : v)) as T;
  if (r.error !== undefined) throw new Error(`${what}: ${r.error}`);
  return r;
}

/** The page's API; evaluated functions run in the page, so each names it itself. */
type Api = { sampoTest: WebGpuPage };

/** Runs one model's batch in the page (see BatchResult). */
export async function pageBatch(page: Page, name: string, points: readonly Float64Array[]): Promise<BatchResult> {
  const json = await page.evaluate(([n, pts]) => (globalThis as unknown as Api).sampoTest.batch(n, pts), [
    name,
    points.map((p) => Array.from(p)),
  ] as const);
  return answer<BatchResult>(json, `${name} on WebGPU`);
}

/** Runs lockstep chains of eight schools in the page (see LockstepResult). */
export async function pageLockstep(
  page: Page,
  backend: "js" | "webgpu",
  settings: Parameters<WebGpuPage["lockstep"]>[1],
): Promise<LockstepResult> {
  const json = await page.evaluate(([b, s]) => (globalThis as unknown as Api).sampoTest.lockstep(b, s), [backend, settings] as const);
  return answer<LockstepResult>(json, `lockstep on ${backend}`);
}

/** SMC of eight schools in the page on `backend`: log evidence and its standard error. */
export async function pageSmc(page: Page, backend: "js" | "webgpu", seed: number): Promise<{ logEvidence: number; se: number }> {
  const json = await page.evaluate(([b, s]) => (globalThis as unknown as Api).sampoTest.smc(b, s), [backend, seed] as const);
  return answer<{ logEvidence: number; se: number; error?: string }>(json, `smc on ${backend}`);
}

/** Compiles model `name` on WebGPU with the float32 check on: its report, or the error it was refused with. */
export async function pageFloat32(page: Page, name: string): Promise<Float32Report | { error: string }> {
  return JSON.parse(await page.evaluate((n) => (globalThis as unknown as Api).sampoTest.float32(n), name)) as
    Float32Report | { error: string };
}
