/**
 * The library's own files, whether it runs from its TypeScript source or
 * precompiled: scripts/build.mjs compiles every module of src/ to the same
 * path under dist/node/ (`x.ts` → `x.js`), so a module names a file beside
 * it as the source has it and gets the one its running copy has.
 * @module
 */

/** Whether the module at `url` (its `import.meta.url`) is the compiled library rather than its TypeScript source. */
export const isCompiled = (url: string): boolean => url.endsWith(".js");

/** The module `path` (relative, as in src/: `./x.ts`) beside the module at `url`, as the running copy has it (`./x.js` when compiled). */
export function ownModule(path: string, url: string): URL {
  return new URL(isCompiled(url) ? path.replace(/\.ts$/, ".js") : path, url);
}
