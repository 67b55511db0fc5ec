/**
 * The script a chain worker thread starts from.
 *
 * A thread starts from one file about twice as fast as from the graph of
 * the library's modules, and from source it would also need a TypeScript
 * loader of its own (on Node 20 a worker does not inherit its parent's;
 * registering tsx in every thread, bootstrap.mjs, costs about a second).
 * So the worker's code is bundled into one plain JavaScript file with
 * esbuild (tsx's own compiler, so always installed): the precompiled
 * library has it built in (scripts/build.mjs writes the bundle as the
 * compiled chainWorker.js); from source it is built on first use and cached
 * on disk, keyed by the content of every file that went into it. From
 * source without esbuild, or with SAMPO_WORKER_LOADER=tsx, threads fall
 * back to bootstrap.mjs.
 * @module
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isCompiled, ownModule } from "../compiled.ts";

/** The worker's entry: its TypeScript source, or in the precompiled library the bundle itself. */
const SOURCE = ownModule("./chainWorker.ts", import.meta.url);
/** The fallback entry: registers tsx in the thread, then imports chainWorker.ts. */
const BOOTSTRAP = new URL("./bootstrap.mjs", import.meta.url);

/** The record beside a cached bundle: the hash of every input it was built from. */
interface CacheRecord {
  readonly inputs: Readonly<Record<string, string>>;
}

let entry: URL | undefined;

/** The URL to start chain worker threads from (computed once per process). */
export function workerEntry(): URL {
  entry ??= isCompiled(import.meta.url) ? SOURCE : process.env.SAMPO_WORKER_LOADER === "tsx" ? BOOTSTRAP : (cached() ?? BOOTSTRAP);
  return entry;
}

/** A bundle of the worker's code and the absolute paths of the files that went into it. */
export interface WorkerBundle {
  readonly code: string;
  readonly inputs: readonly string[];
}

/** Bundles the worker at `source` (chainWorker.ts) and its dependencies into one ES module; throws when esbuild is missing or fails. */
export function bundleWorker(source: string): WorkerBundle {
  // Resolved from tsx, which depends on it: found wherever the package manager put it.
  const esbuild = createRequire(createRequire(import.meta.url).resolve("tsx"))("esbuild") as typeof import("esbuild");
  const base = dirname(source);
  const out = esbuild.buildSync({
    entryPoints: [source],
    absWorkingDir: base,
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    target: "node20",
    metafile: true,
    logLevel: "silent",
    // CommonJS dependencies bundled into an ES module still call require() for Node's built-ins.
    banner: { js: 'import { createRequire as __sampoRequire } from "node:module"; const require = __sampoRequire(import.meta.url);' },
  });
  return { code: out.outputFiles[0].text, inputs: Object.keys(out.metafile.inputs).map((p) => join(base, p)) };
}

const hashFile = (path: string): string => createHash("sha256").update(readFileSync(path)).digest("hex");

/** The cached bundle's file, if every input still has the content it was built from. */
function fresh(record: string): string | undefined {
  try {
    const { inputs } = JSON.parse(readFileSync(`${record}.json`, "utf8")) as CacheRecord;
    for (const [path, hash] of Object.entries(inputs)) if (hashFile(path) !== hash) return undefined;
    return `${record}.mjs`;
  } catch {
    return undefined;
  }
}

/** Running from source: the bundle, built or found in the package's node_modules/.cache; undefined when esbuild is not available or fails. */
function cached(): URL | undefined {
  const source = fileURLToPath(SOURCE);
  const key = createHash("sha256").update(source).digest("hex").slice(0, 16);
  const record = join(fileURLToPath(new URL("../../../", import.meta.url)), "node_modules", ".cache", "sampo", `chainWorker-${key}`);
  const hit = fresh(record);
  if (hit !== undefined) return pathToFileURL(hit);
  let bundle: WorkerBundle;
  try {
    bundle = bundleWorker(source);
  } catch {
    return undefined;
  }
  const inputs = Object.fromEntries(bundle.inputs.map((path) => [path, hashFile(path)]));
  const save = (base: string): string => {
    mkdirSync(join(base, ".."), { recursive: true });
    const tmp = `${base}.${process.pid}.tmp`;
    // Code first, then the record that declares it valid, each atomically: a concurrent reader never sees half a file.
    writeFileSync(tmp, bundle.code);
    renameSync(tmp, `${base}.mjs`);
    writeFileSync(tmp, JSON.stringify({ inputs }));
    renameSync(tmp, `${base}.json`);
    return `${base}.mjs`;
  };
  try {
    return pathToFileURL(save(record));
  } catch {
    // A read-only installation: a private copy for this process.
    return pathToFileURL(save(join(mkdtempSync(join(tmpdir(), "sampo-")), "chainWorker")));
  }
}
