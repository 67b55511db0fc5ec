/**
 * `npm run example:browser`: builds the browser bundle and its worker
 * (dist/sampo.browser.js, dist/sampo.worker.js), bundles the example page's
 * module (examples/browser/main.ts, with the dashboard's plots and tables,
 * the bundle left as an import of ./sampo.browser.js) and serves the page on
 * 127.0.0.1, printing its URL. `--port N` picks the port (default: any free one).
 * @module
 */
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { buildBrowser, WORKER_FILE } from "./buildBrowser.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const PAGE = join(ROOT, "examples", "browser");

/** The page's module imports the library as the built bundle, served beside it: left as it is. */
const bundleExternal: Plugin = {
  name: "sampo-bundle-external",
  setup(b) {
    b.onResolve({ filter: /^\.\/sampo\.browser\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/** The example page's module and stylesheet, built in memory. */
async function pageAssets(): Promise<{ js: string; css: string }> {
  const result = await build({
    entryPoints: [join(PAGE, "main.ts")],
    bundle: true,
    write: false,
    outdir: "out",
    format: "esm",
    platform: "browser",
    target: "es2022",
    logLevel: "silent",
    plugins: [bundleExternal],
  });
  const text = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? "";
  return { js: text(".js"), css: text(".css") };
}

/** A running example server. */
export interface ExampleServer {
  /** The page's address. */
  readonly url: string;
  close(): Promise<void>;
}

/** Builds everything the page needs (into `outdir`) and serves it on 127.0.0.1:`port` (0: any free port). */
export async function serveExample(port = 0, outdir = join(ROOT, "dist")): Promise<ExampleServer> {
  const bundle = await buildBrowser(outdir);
  const page = await pageAssets();
  const fromDist = (name: string) => () => readFile(join(dirname(bundle), name));
  const js = "text/javascript; charset=utf-8";
  const routes: Record<string, { type: string; body: () => Promise<string | Buffer> }> = {
    "/": { type: "text/html; charset=utf-8", body: () => readFile(join(PAGE, "index.html")) },
    "/main.js": { type: js, body: async () => page.js },
    "/main.css": { type: "text/css; charset=utf-8", body: async () => page.css },
    "/sampo.browser.js": { type: js, body: fromDist("sampo.browser.js") },
    "/sampo.browser.js.map": { type: "application/json", body: fromDist("sampo.browser.js.map") },
    [`/${WORKER_FILE}`]: { type: js, body: fromDist(WORKER_FILE) },
    [`/${WORKER_FILE}.map`]: { type: "application/json", body: fromDist(`${WORKER_FILE}.map`) },
  };
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? "/", "http://localhost").pathname];
    if ((req.method !== "GET" && req.method !== "HEAD") || route === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    route.body().then(
      (body) => res.writeHead(200, { "content-type": route.type, "cache-control": "no-store" }).end(body),
      (e: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(String(e)),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--port");
  const { url } = await serveExample(at >= 0 ? Number(process.argv[at + 1]) : 0);
  console.log(`the example page: ${url}  (Ctrl-C to stop)`);
}
