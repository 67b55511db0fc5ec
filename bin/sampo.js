#!/usr/bin/env node
// The sampo command. It runs the precompiled CLI in dist/node (`npm run
// build`, which `npm ci` runs) when that is a build of src/ as it is now,
// and otherwise, so that an edit to src/ always takes effect, the CLI from
// source through tsx: seconds slower to start, as one line on stderr says.
// SAMPO_FROM_SOURCE=1 runs from source regardless.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sourceStamp } from "./sourceStamp.mjs";

const dist = new URL("../dist/node/", import.meta.url);

/** Whether dist/node holds a build of src/ as it is now. */
function built() {
  try {
    const { source } = JSON.parse(readFileSync(new URL("build.json", dist), "utf8"));
    return source === sourceStamp(fileURLToPath(new URL("../src/", import.meta.url)));
  } catch {
    return false;
  }
}

let cli;
if (process.env.SAMPO_FROM_SOURCE !== "1" && built()) cli = await import(new URL("cli/main.js", dist).href);
else {
  if (process.env.SAMPO_FROM_SOURCE !== "1")
    process.stderr.write("sampo: dist/ is missing or older than src/; running from source (`npm run build` precompiles)\n");
  (await import("tsx/esm/api")).register();
  cli = await import("../src/cli/main.ts");
}
process.exitCode = await cli.main(process.argv.slice(2));
