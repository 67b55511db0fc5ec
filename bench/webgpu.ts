/**
 * `npm run bench:webgpu`: points per second of log p + gradient on the
 * WebGPU backend against the JavaScript backend in the same page (Debian's
 * chromium, headless), for each benchmark model at batch sizes 1, 64, 1024
 * and 16384, the time per call at batch 1 (the dispatch overhead: buffer
 * writes, one dispatch, a copy, a mapAsync round trip) and the compile
 * time. Each figure is the best of 3 alternating rounds of ≥ 150 ms.
 *
 * Here WebGPU runs on SwiftShader, chromium's software adapter: a CPU
 * implementation (LLVM-compiled shaders on the machine's cores). The
 * figures measure the backend's overheads and SwiftShader, not a GPU.
 *
 *   npm run bench:webgpu [-- --models simple,logistic --batches 1,64]
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchmarks } from "../examples/index.ts";
import { bundlePage, openPage, WEBGPU_ARGS } from "../test/helpers/webgpuPage.ts";
import { launchBrowser } from "../test/helpers/browser.ts";
import type { WebGpuRow } from "./webgpuPage.ts";

const { values } = parseArgs({
  options: {
    models: { type: "string", default: Object.keys(benchmarks).join(",") },
    batches: { type: "string", default: "1,64,1024,16384" },
    rounds: { type: "string", default: "3" },
    "min-ms": { type: "string", default: "150" },
  },
});
const models = values.models.split(",");
const batches = values.batches.split(",").map(Number);

const fmt = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0));

const file = await bundlePage(join(import.meta.dirname, "webgpuPage.ts"), "bench-webgpu.js");
const browser = await launchBrowser(WEBGPU_ARGS);
try {
  const page = await openPage(browser, readFileSync(file, "utf8"));
  await page.waitForFunction(() => "measure" in globalThis);
  const adapter = await page.evaluate(async () => {
    type Gpu = { requestAdapter(): Promise<{ info?: { vendor: string; architecture: string } } | null> };
    const a = await (globalThis as unknown as { navigator: { gpu?: Gpu } }).navigator.gpu?.requestAdapter();
    return a ? `${a.info?.vendor}/${a.info?.architecture}` : "none";
  });
  console.log(
    `WebGPU adapter: ${adapter} (chromium ${browser.version()}); points/s of log p + gradient, best of ${values.rounds} rounds\n`,
  );
  const head = ["model", "d", "compile", ...batches.flatMap((b) => [`JS B=${b}`, `GPU B=${b}`]), "GPU µs/call B=1"];
  console.log(`| ${head.join(" | ")} |\n|${head.map(() => "---").join("|")}|`);
  for (const model of models) {
    const row = await page.evaluate(
      ([m, b, r, ms]) =>
        (globalThis as unknown as { measure: (m: string, b: number[], r: number, ms: number) => Promise<WebGpuRow> }).measure(m, b, r, ms),
      [model, batches, Number(values.rounds), Number(values["min-ms"])] as const,
    );
    const cells = batches.flatMap((b) => [fmt(row.js[b]), fmt(row.gpu[b])]);
    const perCall = row.gpu[1] === undefined ? "–" : (1e6 / row.gpu[1]).toFixed(0);
    console.log(`| ${[model, row.dim, `${(row.compileMs / 1000).toFixed(2)} s`, ...cells, perCall].join(" | ")} |`);
  }
  console.log(
    "\nSwiftShader is a CPU: these figures are the backend's overheads on this machine's 2 cores, not a GPU's speed. On a real GPU the",
    "\nper-call overhead stays (tens of µs to a submit/map round trip) while a batch's cost spreads over thousands of cores.",
  );
} finally {
  await browser.close();
}
