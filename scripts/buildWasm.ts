// Assembles each kernels.wat into the kernels.ts beside it (the module's bytes as base64).
// Run after editing a .wat: `npm run build:wasm`; the tests of each module check the two agree.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import wabtInit from "wabt";

/** A WebAssembly module of the source tree: its .wat, the TypeScript file it is assembled into, and what it holds. */
export interface WasmSource {
  readonly wat: URL;
  readonly out: URL;
  readonly holds: string;
}

const source = (dir: string, holds: string): WasmSource => ({
  wat: new URL(`../src/${dir}/kernels.wat`, import.meta.url),
  out: new URL(`../src/${dir}/kernels.ts`, import.meta.url),
  holds,
});

/** The dense kernels of the JavaScript backend. */
export const DENSE = source("codegen/js/dense", "The dense kernels' WebAssembly module (gemv, gemvT, exp, softplusSigmoid)");
/** The NUTS tree's passes. */
export const NUTS = source("inference/hmc", "The NUTS tree's WebAssembly module (leaf, merge)");
/** The random stream's Philox uniforms. */
export const RANDOM = source("random", "The random stream's WebAssembly module (Philox uniforms)");

/** The module's WebAssembly bytes, assembled from its .wat. */
export async function assemble(m: WasmSource): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat("kernels.wat", readFileSync(m.wat, "utf8"), { simd: true });
  try {
    mod.validate();
    return mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
}

/** The TypeScript module holding `bytes` of `m`. */
export function kernelsModule(m: WasmSource, bytes: Uint8Array): string {
  const base64 = Buffer.from(bytes).toString("base64");
  return [
    "/**",
    ` * ${m.holds}, assembled from`,
    " * kernels.wat by scripts/buildWasm.ts: edit the .wat, not this file.",
    " * @module",
    " */",
    "",
    "/** The module's bytes, base64-encoded. */",
    `export const KERNELS_BASE64 =\n  "${base64}";`,
    "",
  ].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const m of [DENSE, NUTS, RANDOM]) writeFileSync(m.out, kernelsModule(m, await assemble(m)));
}
