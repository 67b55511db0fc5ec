/// <reference types="@webgpu/types" />
/**
 * The WebGPU backend: a compiled density whose `logpGradBatch` evaluates a
 * batch of points in one dispatch of a WGSL compute shader, in float32
 * (WGSL has no float64). Single points (`logp`, `logpGrad`), `constrain`
 * and the rest are the JavaScript density of the same model, in float64.
 * Before it is returned, the shader is checked against that density (see
 * float32.ts): a model float32 cannot evaluate is refused, not sampled
 * wrongly.
 * @module
 */
import type { Model, Outputs } from "../../dsl/model.ts";
import { buildGraph, type GraphOptions } from "../../interpreters/graph.ts";
import type { BatchDensity } from "../batch.ts";
import type { CompiledDensity } from "../density.ts";
import { densityGraph } from "../densityGraph.ts";
import { loadDensity } from "../js/load.ts";
import { plainOf } from "../js/plain.ts";
import { gpuDevice } from "./device.ts";
import { checkFloat32, type Float32Check, Float32Error, type Float32Report } from "./float32.ts";
import { densityKernel } from "./kernel.ts";
import { densityShader } from "./shader.ts";

/** Options of the WebGPU backend. */
export interface WebGpuCompileOptions extends GraphOptions {
  /** The WebGPU entry point (default: `navigator.gpu`); in Node, one from a WebGPU implementation. */
  readonly gpu?: GPU;
  /**
   * What to do when float32 is not accurate enough for the model (see
   * {@link Float32Report}): "refuse" (default) throws a `Float32Error`,
   * "warn" goes on (telling `onFloat32`, or the console when there is
   * none), "off" skips the check.
   */
  readonly float32Check?: Float32Check;
  /** Told the check's figures (also when it passes). */
  readonly onFloat32?: (report: Float32Report) => void;
}

/** A density compiled to WebGPU: the JavaScript density plus batched float32 evaluation in one dispatch. */
export interface WebGpuDensity extends CompiledDensity, BatchDensity {
  /** The adapter the shader runs on ("vendor/architecture"). */
  readonly adapter: string;
  /** The generated WGSL. */
  readonly wgsl: string;
  /** What the float32 check measured (undefined when it was off). */
  readonly float32: Float32Report | undefined;
  /** Frees the device buffers. */
  release(): Promise<void>;
}

/** Compiles a model to the WebGPU backend (see {@link compile}). */
export async function compileWebGpu<D, O extends Outputs>(
  mdl: Model<D, O>,
  data: D,
  options: WebGpuCompileOptions = {},
): Promise<WebGpuDensity> {
  const mg = buildGraph(mdl, data, options);
  const dg = densityGraph(mg);
  const js = loadDensity(plainOf(mg, dg));
  const shader = densityShader(mg, dg);
  const { device, adapter } = await gpuDevice(options.gpu);
  const kernel = await densityKernel(device, shader);
  const density: WebGpuDensity = {
    ...js,
    adapter,
    wgsl: shader.code,
    float32: undefined,
    setData(values) {
      js.setData(values);
      kernel.setData(js.toPlain().data.map((d) => d.values));
    },
    logpGradBatch: (points, n, logp, grad) => kernel.run(points, n, logp, grad),
    async release() {
      kernel.destroy();
    },
  };
  const mode = options.float32Check ?? "refuse";
  if (mode === "off") return density;
  const report = await checkFloat32(density, js, mode);
  if (options.onFloat32 !== undefined) options.onFloat32(report);
  else if (!report.ok) console.warn(new Float32Error(report).message);
  return { ...density, float32: report };
}
