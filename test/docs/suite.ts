/**
 * What the two tiers of the example tests share: the examples found in src,
 * and the paths the harness needs.
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findExamples } from "./extract.ts";
import type { HarnessPaths, Importer } from "./harness.ts";
import * as prelude from "./prelude.ts";

/** The repository root. */
export const root = fileURLToPath(new URL("../..", import.meta.url));

/** The package root, the prelude and the root of the repository. */
export const paths: HarnessPaths = { root, packageRoot: join(root, "src/index.ts"), prelude: join(root, "test/docs/prelude.ts") };

/** Every example of src/**\/*.ts, and problems with their markup. */
export const found = findExamples(root, join(root, "src"));

/**
 * Loads modules through vitest (TypeScript, the "sampo" alias). The prelude
 * is imported statically above, so that tools (knip) see it is used.
 */
export const importer: Importer = (specifier) => (specifier === paths.prelude ? Promise.resolve(prelude) : import(/* @vite-ignore */ specifier));
