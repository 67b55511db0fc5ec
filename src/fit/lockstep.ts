/**
 * `sampleLockstep`: lockstep chains from a model, on either backend. The
 * model is compiled with the automatic reparameterization `sample` uses
 * (its NUTS pilot runs on random stream 0, which no lockstep chain uses);
 * the JavaScript backend serves a batch by looping over the chains, ONNX in
 * one onnxruntime call per leapfrog step for all chains, WebGPU in one
 * dispatch (log p and gradients in float32, positions and momenta in
 * float64; a model float32 cannot evaluate is refused).
 * @module
 */
import { batchOf, type BatchDensity } from "../codegen/batch.ts";
import type { CompiledDensity } from "../codegen/density.ts";
import type { Device } from "../codegen/onnx/session.ts";
import { compile } from "../codegen/compile.ts";
import type { WebGpuCompileOptions } from "../codegen/webgpu/density.ts";
import type { Model, Outputs } from "../dsl/model.ts";
import { Fit } from "./fit.ts";
import { randomSeed, resolveOptions } from "../inference/options.ts";
import { chooseCentering } from "./centering.ts";
import { reparameterize } from "../handlers/reparameterize.ts";
import { type LockstepOptions, sampleLockstepDensity } from "./lockstepDensity.ts";
import { requireParameters } from "./requireParameters.ts";

/** Options of {@link sampleLockstep}. */
export interface LockstepModelOptions extends Omit<LockstepOptions, "init"> {
  /** Where gradients are computed: generated JavaScript ("js", default), ONNX on onnxruntime ("onnx") or a WGSL shader on WebGPU ("webgpu"). */
  readonly backend?: "js" | "onnx" | "webgpu";
  /** ONNX only: "cpu" (default) or "cuda" (falls back to the CPU, see `onBackend`). */
  readonly device?: Device;
  /** WebGPU only: the WebGPU entry point (default `navigator.gpu`) and the float32 check (see {@link compile}). */
  readonly webgpu?: Pick<WebGpuCompileOptions, "gpu" | "float32Check" | "onFloat32">;
  /** Automatic reparameterization of location-scale sites, chosen by `sample`'s NUTS pilot (true). */
  readonly reparam?: boolean;
  /** Told which backend and provider serve the run, and why when it is not the one asked for. */
  readonly onBackend?: (info: { readonly backend: "js" | "onnx" | "webgpu"; readonly provider: string; readonly note: string }) => void;
}

/**
 * Samples a model's posterior with lockstep chains (ChEES-HMC: a trajectory
 * length shared by all chains and jittered, one batched gradient call per
 * leapfrog step). Many chains at the price of one call each step: what a
 * GPU, or onnxruntime on a wide model, is for.
 *
 * @example
 * ```ts slow
 * const fit = await sampleLockstep(eightSchools, data, { backend: "onnx", chains: 256, warmup: 500, draws: 250, seed: 1 });
 * fit.summary();
 * ```
 */
export async function sampleLockstep<D, O extends Outputs>(mdl: Model<D, O>, data: D, opts: LockstepModelOptions = {}): Promise<Fit<D, O>> {
  const seed = opts.seed ?? randomSeed();
  const reparam = opts.reparam ?? true;
  const backend = opts.backend ?? "js";
  let js: CompiledDensity;
  let written: Model<D, O> = mdl;
  if (reparam) {
    const chosen = chooseCentering(mdl, data, resolveOptions({ seed }));
    js = chosen.density;
    written = reparameterize(mdl, chosen.plan);
  } else {
    js = compile(mdl, data);
  }
  requireParameters(js, "NUTS");
  let batch: BatchDensity;
  let release = async () => {};
  if (backend === "onnx") {
    const onnx = await compile(written, data, { backend: "onnx", device: opts.device });
    opts.onBackend?.({ backend, provider: onnx.provider, note: onnx.note });
    batch = onnx;
    release = () => onnx.release();
  } else if (backend === "webgpu") {
    const gpu = await compile(written, data, { ...opts.webgpu, backend: "webgpu" });
    opts.onBackend?.({ backend, provider: gpu.adapter, note: "" });
    batch = gpu;
    release = () => gpu.release();
  } else {
    opts.onBackend?.({ backend, provider: "js", note: "" });
    batch = batchOf(js);
  }
  try {
    const fit = await sampleLockstepDensity(batch, js, { ...opts, seed });
    return new Fit(fit.valueLayout, { ...fit.settings, reparam }, fit.chains, { model: mdl, data });
  } finally {
    await release();
  }
}
