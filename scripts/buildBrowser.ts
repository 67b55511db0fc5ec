/**
 * `npm run build:browser`: bundles src/browser.ts, sampo's portable surface,
 * into one ES module, dist/sampo.browser.js, for web pages, and beside it
 * dist/sampo.worker.js, the module its chain Web Workers start from (the
 * bundle finds it relative to its own URL).
 *
 * A module `x.ts` with a sibling `x.browser.ts` is replaced by it (the
 * parts that differ in a page: SHA-256 without node:crypto, the core count,
 * chains in Web Workers, no onnxruntime, no NATS). Any `node:` import left in
 * either file's graph fails the build, naming the module that made it: the
 * files hold no Node APIs.
 * @module
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Resolves `./x.ts` to `./x.browser.ts` where that exists, and refuses Node's built-in modules. */
export const browserSiblings: Plugin = {
  name: "browser-siblings",
  setup(b) {
    b.onResolve({ filter: /^node:|^(fs|os|path|crypto|child_process|worker_threads|url|module|net|tls|http)$/ }, (args) => ({
      errors: [{ text: `${args.importer} imports ${args.path}: the browser build holds no Node APIs` }],
    }));
    b.onResolve({ filter: /^\.\.?\/.*\.ts$/ }, (args) => {
      const path = resolve(args.resolveDir, args.path);
      const sibling = path.replace(/\.ts$/, ".browser.ts");
      return existsSync(sibling) && !path.endsWith(".browser.ts") ? { path: sibling } : { path };
    });
  },
};

/** The worker module's file name, beside the bundle (pool.browser.ts looks for it there). */
export const WORKER_FILE = "sampo.worker.js";

/** Builds dist/sampo.browser.js and dist/sampo.worker.js (or into `outdir`); returns the bundle's path. */
export async function buildBrowser(outdir = join(ROOT, "dist")): Promise<string> {
  await build({
    entryPoints: [
      { in: join(ROOT, "src/browser.ts"), out: "sampo.browser" },
      { in: join(ROOT, "src/runtime/workers/chainWorker.browser.ts"), out: WORKER_FILE.replace(/\.js$/, "") },
    ],
    outdir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    sourcemap: true,
    logLevel: "silent",
    plugins: [browserSiblings],
  });
  return join(outdir, "sampo.browser.js");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = await buildBrowser();
  console.log(`wrote ${file} and ${join(dirname(file), WORKER_FILE)}`);
}
