/**
 * `sampo export`: a model with its data as an ONNX file (for any ONNX
 * runtime) or as a standalone TypeScript module (for embedding without
 * sampo).
 * @module
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { exportOnnx } from "../codegen/onnx/export.ts";
import type { Dtype } from "../codegen/onnx/proto.ts";
import { emitStandaloneTs } from "../codegen/ts/standalone.ts";
import { parseJsonFile } from "../io/dataFile.ts";
import { loadModel } from "./loadModel.ts";

/** Options of the export command. */
export interface ExportOptions {
  readonly format: "onnx" | "ts";
  readonly out: string;
  readonly dtype: Dtype;
  readonly data?: string;
  /** A run's `run.json` (its `centering`) or a JSON object of λ per site: export reparameterized as that run sampled. */
  readonly centering?: string;
}

/** Writes the export of a model file; reports what was written on stderr. `centering` and float32 are for ONNX only (main.ts checks it). */
export async function exportCommand(file: string, opts: ExportOptions): Promise<void> {
  const { model, data } = await loadModel(file, opts.data);
  let bytes: number;
  if (opts.format === "onnx") {
    const centering = opts.centering === undefined ? undefined : await readCentering(opts.centering);
    bytes = await exportOnnx(model, data, opts.out, { dtype: opts.dtype, centering });
  } else {
    const source = emitStandaloneTs(model, data);
    await mkdir(dirname(opts.out), { recursive: true });
    await writeFile(opts.out, source);
    bytes = Buffer.byteLength(source);
  }
  process.stderr.write(`wrote ${opts.out} (${opts.format}${opts.format === "onnx" ? `, ${opts.dtype}` : ""}, ${bytes} bytes)\n`);
}

/** The centering in a run.json, or a bare `{ site: [λ…] }` object. */
async function readCentering(file: string): Promise<Record<string, number[]>> {
  const json = parseJsonFile(await readFile(file, "utf8"), file) as { centering?: unknown };
  const c = (json.centering ?? json) as Record<string, unknown>;
  for (const [site, v] of Object.entries(c)) {
    if (!Array.isArray(v) || !v.every((x) => typeof x === "number"))
      throw new Error(`${file}: centering of '${site}' must be an array of numbers`);
  }
  return c as Record<string, number[]>;
}
