/**
 * compile(model, data): the model's log density and gradient, as generated
 * JavaScript (the CPU hot path), as an ONNX graph on onnxruntime (batched,
 * CPU or CUDA) or as a WGSL compute shader on WebGPU (batched, float32).
 * @module
 */
import { loadDensity } from "./js/load.ts";
import { compilePlain } from "./js/plain.ts";
import type { CompiledDensity } from "./density.ts";
import type { OnnxDensity, OnnxCompileOptions } from "./onnx/density.ts";
import type { Model, Outputs } from "../dsl/model.ts";
import type { GraphOptions } from "../interpreters/graph.ts";
import type { WebGpuCompileOptions, WebGpuDensity } from "./webgpu/density.ts";

/** Options of {@link compile}: the JavaScript backend (default), ONNX or WebGPU, with or without the log-Jacobian. */
export type CompileOptions =
  | ({ readonly backend?: "js" } & GraphOptions)
  | ({ readonly backend: "onnx" } & OnnxCompileOptions)
  | ({ readonly backend: "webgpu" } & WebGpuCompileOptions);

/**
 * Compiles a model with its data into a fast density: `logp(θ)`,
 * `logpGrad(θ, grad)`, `constrain`, `unconstrain`, `setData` and a
 * plain-data form for other threads and machines. Build-time errors (shape,
 * support, data, names) are thrown here, naming the site.
 *
 * With `{ backend: "onnx" }` it resolves to an {@link OnnxDensity}: the same
 * density plus `logpGradBatch`, one onnxruntime call for a batch of points,
 * on the CPU or (`device: "cuda"`) a GPU. With `{ backend: "webgpu" }` it
 * resolves to a {@link WebGpuDensity}: `logpGradBatch` is one dispatch of
 * a WGSL shader, in float32, on the page's GPU (refused when float32 is
 * not accurate enough for the model, see `float32Check`).
 *
 * @example
 * ```ts
 * const d = compile(eightSchools, data);
 * const grad = new Float64Array(d.dim);
 * const lp = d.logpGrad(new Float64Array(d.dim), grad);
 * const batched = await compile(eightSchools, data, { backend: "onnx" });
 * ```
 */
export function compile<D, O extends Outputs>(
  mdl: Model<D, O>,
  data: D,
  options?: { readonly backend?: "js" } & GraphOptions,
): CompiledDensity;
export function compile<D, O extends Outputs>(
  mdl: Model<D, O>,
  data: D,
  options: { readonly backend: "onnx" } & OnnxCompileOptions,
): Promise<OnnxDensity>;
export function compile<D, O extends Outputs>(
  mdl: Model<D, O>,
  data: D,
  options: { readonly backend: "webgpu" } & WebGpuCompileOptions,
): Promise<WebGpuDensity>;
export function compile<D, O extends Outputs>(
  mdl: Model<D, O>,
  data: D,
  options: CompileOptions = {},
): CompiledDensity | Promise<OnnxDensity> | Promise<WebGpuDensity> {
  // The batched backends are loaded on first use: onnxruntime and the ONNX protobuf code alone take
  // about 55 ms to import, which every JavaScript-backend run (the CLI's included) would pay.
  if (options.backend === "onnx") {
    const onnx: Promise<OnnxDensity> = import("./onnx/density.ts").then((m) => m.compileOnnx(mdl, data, options));
    return onnx;
  }
  if (options.backend === "webgpu") {
    const webgpu: Promise<WebGpuDensity> = import("./webgpu/density.ts").then((m) => m.compileWebGpu(mdl, data, options));
    return webgpu;
  }
  return loadDensity(compilePlain(mdl, data, options));
}

export { compilePlain };
