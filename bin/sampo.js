#!/usr/bin/env node
// The sampo command: registers the TypeScript loader, then runs the CLI from source (no build step).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
