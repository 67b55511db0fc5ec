// Assembles src/codegen/js/dense/kernels.wat into kernels.ts (the module's bytes as base64).
// Run after editing the .wat: `npm run build:wasm`; test/codegen/js/dense.test.ts checks the two agree.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import wabtInit from "wabt";

/** The .wat source and the TypeScript file it is assembled into. */
const WAT = new URL("../src/codegen/js/dense/kernels.wat", import.meta.url);
const OUT = new URL("../src/codegen/js/dense/kernels.ts", import.meta.url);

/** The kernels' WebAssembly bytes, assembled from the .wat. */
export async function assemble(): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat("kernels.wat", readFileSync(WAT, "utf8"), { simd: true });
  try {
    mod.validate();
    return mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
}

/** The TypeScript module holding `bytes`. */
export function kernelsModule(bytes: Uint8Array): string {
  const base64 = Buffer.from(bytes).toString("base64");
  return [
    "/**",
    " * The dense kernels' WebAssembly module (gemv, gemvT, exp, softplusSigmoid), assembled from",
    " * kernels.wat by scripts/buildWasm.ts: edit the .wat, not this file.",
    " * @module",
    " */",
    "",
    "/** The module's bytes, base64-encoded. */",
    `export const KERNELS_BASE64 =\n  "${base64}";`,
    "",
  ].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) writeFileSync(OUT, kernelsModule(await assemble()));
