/**
 * exportOnnx: a model with its data written as an ONNX file that any ONNX
 * runtime (Python, C++, the browser) loads to compute log p and its
 * gradient for a batch of points.
 * @module
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Model, Outputs } from "../../dsl/model.ts";
import { buildOnnx, type OnnxBuildOptions } from "./model.ts";

/**
 * Writes the ONNX model of `mdl` with `data` to `path`: input `theta`
 * `[B, dim]` (unconstrained points, B symbolic), outputs `logp [B]` and
 * `grad [B, dim]`, data as initializers, opset 17, IR version 8, and
 * `metadata_props` `sampo.layout`, `sampo.version`, `sampo.modelHash` and
 * `sampo.dtype`. The model is exported as written (no reparameterization).
 *
 * @example
 * ```ts
 * await exportOnnx(eightSchools, data, "eight_schools.onnx", { dtype: "float64" });
 * ```
 * @returns the number of bytes written.
 */
export async function exportOnnx<D, O extends Outputs>(
  mdl: Model<D, O>,
  data: D,
  path: string,
  options: OnnxBuildOptions = {},
): Promise<number> {
  const { bytes } = buildOnnx(mdl, data, options);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
  return bytes.length;
}
