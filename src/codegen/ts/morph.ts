/**
 * ts-morph, loaded on first use. With the TypeScript compiler it takes about
 * 250 ms to import: a static import would make every importer of the package
 * root pay that for the one function that needs it (emitStandaloneTs).
 * @module
 */
import { createRequire } from "node:module";
import type * as TsMorph from "ts-morph";

let loaded: typeof TsMorph | undefined;

/** The ts-morph module (CommonJS, so it can be loaded synchronously when first asked for). */
export function tsMorph(): typeof TsMorph {
  loaded ??= createRequire(import.meta.url)("ts-morph") as typeof TsMorph;
  return loaded;
}
