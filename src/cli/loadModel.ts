/**
 * Loads a model file: its default export is the model, its `data` export the
 * data; `--data file.json` overrides the data (checked by io/dataFile.ts).
 * @module
 */
import { register } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Model } from "../dsl/model.ts";
import { readDataFile } from "../io/dataFile.ts";
import type { LibraryLocation } from "./modelResolve.ts";

/** A model and its data, loaded from files. */
export interface LoadedModel {
  readonly model: Model<unknown>;
  readonly data: unknown;
  readonly path: string;
}

/** Whether this is the precompiled CLI (dist/node, built by scripts/build.mjs) rather than its TypeScript source. */
const compiled = import.meta.url.endsWith(".js");
/** The URL of the library's module `path` (named by its source, `x.ts`), as this CLI runs it. */
const own = (path: string): URL => new URL(compiled ? path.replace(/\.ts$/, ".js") : path, import.meta.url);

let hooked = false;

/**
 * Registers, once, what model files need: TypeScript (tsx; it is only
 * loaded here, for the first TypeScript model, since the precompiled CLI
 * needs none; from source the CLI's own loader is already in place) and
 * the resolution hooks of modelResolve.ts.
 */
async function prepareLoader(path: string): Promise<void> {
  if (hooked) return;
  hooked = true;
  if (compiled && !/\.[cm]?js$/.test(path)) (await import("tsx/esm/api")).register();
  const data: LibraryLocation = {
    entry: own("../index.ts").href,
    // dist/node/cli/ is two levels below dist/node/, the mirror of src/.
    ...(compiled && { compiled: { source: new URL("../../../src/", import.meta.url).href, target: new URL("../", import.meta.url).href } }),
  };
  register(own("./modelResolve.ts"), { data });
}

/** Imports a model module (TypeScript works: the loader is registered on first use). */
export async function loadModel(file: string, dataFile?: string): Promise<LoadedModel> {
  const path = resolve(file);
  await prepareLoader(path);
  const mod = (await import(pathToFileURL(path).href)) as { default?: unknown; data?: unknown };
  const model = mod.default as Model<unknown> | undefined;
  if (model === undefined || typeof model !== "object" || typeof (model as Model).fn !== "function") {
    throw new Error(`${file}: the default export must be a model (export default model(...))`);
  }
  const data = dataFile === undefined ? mod.data : await readDataFile(resolve(dataFile), dataFile);
  return { model, data, path };
}
