/**
 * compile(model, data): the model's log density and gradient, as generated
 * JavaScript (the CPU hot path) or as an ONNX graph on onnxruntime
 * (batched, CPU or CUDA).
 * @module
 */
import { loadDensity } from "./js/load.ts";
import { compilePlain } from "./js/plain.ts";
import type { CompiledDensity } from "./density.ts";
import { compileOnnx, type OnnxDensity, type OnnxCompileOptions } from "./onnx/density.ts";
import type { Model, Outputs } from "../dsl/model.ts";
import type { GraphOptions } from "../interpreters/graph.ts";

/** Options of {@link compile}: the JavaScript backend (default) or ONNX, with or without the log-Jacobian. */
export type CompileOptions = ({ readonly backend?: "js" } & GraphOptions) | ({ readonly backend: "onnx" } & OnnxCompileOptions);

/**
 * Compiles a model with its data into a fast density: `logp(θ)`,
 * `logpGrad(θ, grad)`, `constrain`, `unconstrain`, `setData` and a
 * plain-data form for other threads and machines. Build-time errors (shape,
 * support, data, names) are thrown here, naming the site.
 *
 * With `{ backend: "onnx" }` it resolves to an {@link OnnxDensity}: the same
 * density plus `logpGradBatch`, one onnxruntime call for a batch of points,
 * on the CPU or (`device: "cuda"`) a GPU.
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
  options: CompileOptions = {},
): CompiledDensity | Promise<OnnxDensity> {
  if (options.backend === "onnx") return compileOnnx(mdl, data, options);
  return loadDensity(compilePlain(mdl, data, options));
}

export { compilePlain };
