/**
 * The script a chain worker thread starts from.
 *
 * sampo runs from TypeScript source, and a worker does not inherit its
 * parent's TypeScript loader (on Node 20). Registering tsx in every thread
 * works (bootstrap.mjs) but costs about a second per thread; instead the
 * worker's code is bundled once into plain JavaScript with esbuild (tsx's
 * own compiler, so always installed) and cached on disk, keyed by the
 * content of every file that went into it: a thread then starts in a few
 * hundred milliseconds. Without esbuild, or with SAMPO_WORKER_LOADER=tsx,
 * threads fall back to bootstrap.mjs.
 * @module
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The worker's TypeScript entry. */
const SOURCE = fileURLToPath(new URL("./chainWorker.ts", import.meta.url));
/** The fallback entry: registers tsx in the thread, then imports chainWorker.ts. */
const BOOTSTRAP = new URL("./bootstrap.mjs", import.meta.url);
/** The package root, whose node_modules/.cache holds the bundle. */
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** What is cached: the bundle and the hash of every input it was built from. */
interface CacheRecord {
  readonly inputs: Readonly<Record<string, string>>;
  readonly code: string;
}

let entry: URL | undefined;

/** The URL to start chain worker threads from (computed once per process). */
export function workerEntry(): URL {
  entry ??= process.env.SAMPO_WORKER_LOADER === "tsx" ? BOOTSTRAP : (bundled() ?? BOOTSTRAP);
  return entry;
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

/** Builds the bundle (or finds it cached); undefined when esbuild is not available or fails. */
function bundled(): URL | undefined {
  const key = createHash("sha256").update(SOURCE).digest("hex").slice(0, 16);
  const record = join(ROOT, "node_modules", ".cache", "sampo", `chainWorker-${key}`);
  const hit = fresh(record);
  if (hit !== undefined) return pathToFileURL(hit);
  let code: string;
  let inputs: Record<string, string>;
  try {
    // Resolved from tsx, which depends on it: found wherever the package manager put it.
    const esbuild = createRequire(createRequire(import.meta.url).resolve("tsx"))("esbuild") as typeof import("esbuild");
    const out = esbuild.buildSync({
      entryPoints: [SOURCE],
      absWorkingDir: ROOT,
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
    code = out.outputFiles[0].text;
    inputs = Object.fromEntries(
      Object.keys(out.metafile.inputs).map((p) => {
        const path = join(ROOT, p);
        return [path, hashFile(path)];
      }),
    );
  } catch {
    return undefined;
  }
  const save = (base: string): string => {
    mkdirSync(join(base, ".."), { recursive: true });
    const tmp = `${base}.${process.pid}.tmp`;
    // Code first, then the record that declares it valid, each atomically: a concurrent reader never sees half a file.
    writeFileSync(tmp, code);
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
