/**
 * Module resolution hooks for the model files the CLI loads (loadModel.ts
 * registers them; they run on Node's loader thread):
 * - `import … from "sampo"`, wherever the file lives on disk, resolves to
 *   the library the CLI itself runs;
 * - under the precompiled CLI, an import of the library's source (the
 *   examples import `../src/dsl/model.ts`) resolves to its compiled twin,
 *   so that a model file shares every module with the CLI (its models are
 *   the CLI's own kind of object) and no source is transpiled;
 * - a `.ts` file outside any `"type": "module"` package is still ES module
 *   syntax (model files use `import`), so it loads as one.
 * @module
 */
import type { InitializeHook, ResolveHook } from "node:module";

/** Where the library the CLI runs is: the data these hooks are registered with. */
export interface LibraryLocation {
  /** The URL `"sampo"` resolves to. */
  readonly entry: string;
  /** Under the precompiled CLI: the URLs of the source directory and of its compiled mirror (`x.ts` → `x.js`). */
  readonly compiled?: { readonly source: string; readonly target: string };
}

let library: LibraryLocation;

/** Receives the library's location from the registering thread. */
export const initialize: InitializeHook<LibraryLocation> = (data) => {
  library = data;
};

/** Resolves `"sampo"`, the library's source files and TypeScript model files as the module doc says. */
export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  if (specifier === "sampo") return { url: library.entry, format: "module", shortCircuit: true };
  const resolved = await nextResolve(specifier, context);
  const { url } = resolved;
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return resolved;
  const { compiled } = library;
  if (compiled !== undefined && url.startsWith(compiled.source)) {
    return { url: `${compiled.target}${url.slice(compiled.source.length, -".ts".length)}.js`, format: "module", shortCircuit: true };
  }
  return url.includes("/node_modules/") ? resolved : { ...resolved, format: "module" };
};
