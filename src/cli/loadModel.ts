/**
 * Loads a model file: its default export is the model, its `data` export the
 * data; `--data file.json` overrides the data.
 * @module
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Model } from "../dsl/model.ts";

/** A model and its data, loaded from files. */
export interface LoadedModel {
  readonly model: Model<unknown>;
  readonly data: unknown;
  readonly path: string;
}

/** Imports a model module (TypeScript works: the CLI registered a loader). */
export async function loadModel(file: string, dataFile?: string): Promise<LoadedModel> {
  const path = resolve(file);
  const mod = (await import(pathToFileURL(path).href)) as { default?: unknown; data?: unknown };
  const model = mod.default as Model<unknown> | undefined;
  if (model === undefined || typeof model !== "object" || typeof (model as Model).fn !== "function") {
    throw new Error(`${file}: the default export must be a model (export default model(...))`);
  }
  const data = dataFile === undefined ? mod.data : JSON.parse(await readFile(resolve(dataFile), "utf8"));
  return { model, data, path };
}
