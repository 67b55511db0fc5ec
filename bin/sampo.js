#!/usr/bin/env node
// The sampo command: registers the TypeScript loader and the resolution of
// "sampo" to this package, then runs the CLI from source (no build step).
import { register as registerHook } from "node:module";
import { register } from "tsx/esm/api";

register();
registerHook("./resolveSampo.mjs", import.meta.url);
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
