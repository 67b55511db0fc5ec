// `npm run build` (and `npm ci`, through prepare): the precompiled library
// and CLI in dist/node/ that bin/sampo.js runs.
//
// Each module of src/ is compiled on its own, to the same path under
// dist/node/ (`x.ts` → `x.js`, imports rewritten to match), rather than
// bundled with the others: a model file that imports the library's source
// (the examples import ../src/dsl/model.ts) is then given that module's
// compiled twin (src/cli/modelResolve.ts) and shares every module, so every
// object, with the CLI. Dependencies, but for @stdlib's, stay in
// node_modules. Three entries
// are bundles instead, each made by the library's own function, imported
// from the modules just compiled: the chain worker thread's code
// (runtime/workers/entry.ts: a thread starts faster from one file) and the
// dashboard's two pages (dashboard/assets.ts: browser scripts, and their
// stylesheets). Last, build.json records the hash of the src/ this is a
// build of (bin/sourceStamp.mjs). The browser build's files in dist/ are
// left alone.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { sourceStamp } from "../bin/sourceStamp.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "src");
const out = join(root, "dist", "node");
/** The bundled entries, as paths under src/. */
const WORKER = "runtime/workers/chainWorker.ts";
const PAGES = "dashboard/page/";

/**
 * Each import of another module of src/ stays an import, of that module's
 * compiled twin. @stdlib's packages are bundled, into chunks the modules
 * share: they are hundreds of tiny CommonJS files (569 on `sampo sample`'s
 * path), each costing more to load than to run. Every other package stays
 * in node_modules.
 */
const resolution = {
  name: "twins",
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/.*\.ts$/ }, (args) =>
      args.kind === "entry-point" ? undefined : { path: args.path.replace(/\.ts$/, ".js"), external: true },
    );
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@stdlib/") || args.importer.includes(`${sep}node_modules${sep}`)
        ? undefined
        : { path: args.path, external: true },
    );
  },
};

const compiled = (path) => pathToFileURL(join(out, path.replace(/\.ts$/, ".js"))).href;

// Hashed first: a file edited while the build runs leaves it stale, never wrong.
const source = sourceStamp(src);
rmSync(out, { recursive: true, force: true });

// The page (a browser program) and the browser build's *.browser.ts replacements never run in Node.
const modules = readdirSync(src, { recursive: true })
  .map((file) => file.split(sep).join("/"))
  .filter((file) => /(?<!\.d|\.browser)\.ts$/.test(file) && !file.startsWith(PAGES) && file !== WORKER);
await build({
  entryPoints: modules.map((file) => join(src, file)),
  outbase: src,
  outdir: out,
  // Bundling is what lets the plugin rewrite imports; each output holds its own module and its share of @stdlib.
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
  // CommonJS bundled into an ES module still calls require() for Node's built-ins (as in entry.ts's worker bundle).
  banner: { js: 'import { createRequire as __sampoRequire } from "node:module"; const require = __sampoRequire(import.meta.url);' },
  plugins: [resolution],
});

const { bundleWorker } = await import(compiled("runtime/workers/entry.ts"));
writeFileSync(join(out, WORKER.replace(/\.ts$/, ".js")), bundleWorker(join(src, WORKER)).code);

const { PAGE_ENTRIES, bundlePage } = await import(compiled("dashboard/assets.ts"));
mkdirSync(join(out, PAGES), { recursive: true });
for (const entry of PAGE_ENTRIES) {
  const { js, css } = await bundlePage(join(src, PAGES, `${entry}.ts`));
  writeFileSync(join(out, PAGES, `${entry}.js`), js);
  writeFileSync(join(out, PAGES, `${entry}.css`), css);
}

writeFileSync(join(out, "build.json"), `${JSON.stringify({ source })}\n`);
console.log(`built dist/node: ${modules.length} modules, the chain worker, ${PAGE_ENTRIES.length} pages`);
