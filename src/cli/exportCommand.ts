/**
 * `sampo export`: a model with its data as an ONNX file (for any ONNX
 * runtime) or as a standalone TypeScript module (for embedding without
 * sampo).
 * @module
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { exportOnnx } from "../codegen/onnx/export.ts";
import type { Dtype } from "../codegen/onnx/proto.ts";
import { emitStandaloneTs } from "../codegen/ts/standalone.ts";
import { loadModel } from "./loadModel.ts";

/** Options of the export command. */
export interface ExportOptions {
  readonly format: "onnx" | "ts";
  readonly out: string;
  readonly dtype: Dtype;
  readonly data?: string;
}

/** Writes the export of a model file; reports what was written on stderr. */
export async function exportCommand(file: string, opts: ExportOptions): Promise<void> {
  const { model, data } = await loadModel(file, opts.data);
  let bytes: number;
  if (opts.format === "onnx") {
    bytes = await exportOnnx(model, data, opts.out, { dtype: opts.dtype });
  } else {
    if (opts.dtype !== "float64") throw new Error("--dtype float32 applies to --format onnx only (the TypeScript module computes in float64)");
    const source = emitStandaloneTs(model, data);
    await mkdir(dirname(opts.out), { recursive: true });
    await writeFile(opts.out, source);
    bytes = Buffer.byteLength(source);
  }
  process.stderr.write(`wrote ${opts.out} (${opts.format}${opts.format === "onnx" ? `, ${opts.dtype}` : ""}, ${bytes} bytes)\n`);
}
