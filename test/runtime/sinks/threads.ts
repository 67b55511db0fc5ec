/**
 * Starts a TypeScript file in a worker thread. A thread does not inherit the
 * TypeScript loader of its parent (vitest's, tsx's) on Node 20, so the file
 * is bundled into one plain ES module with esbuild (tsx's compiler, always
 * installed) and started from a data: URL.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

const esbuild = createRequire(createRequire(import.meta.url).resolve("tsx"))("esbuild") as typeof import("esbuild");

/** A worker thread running `file` (a path), with `workerData`. */
export function startWorker(file: string, workerData: unknown): Worker {
  const { outputFiles } = esbuild.buildSync({
    entryPoints: [file],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: false,
  });
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(outputFiles[0].text)}`), { workerData });
}
