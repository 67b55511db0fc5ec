/**
 * The ONNX backend: a compiled density whose `logpGradBatch` evaluates a
 * batch of points in one onnxruntime call. Single points (`logp`,
 * `logpGrad`) and `constrain` use the JavaScript density of the same model:
 * one runtime call costs tens of microseconds, far more than a small
 * model's gradient in JavaScript.
 * @module
 */
import type { Model, Outputs } from "../../dsl/model.ts";
import type { BatchDensity } from "../batch.ts";
import type { CompiledDensity } from "../density.ts";
import { loadDensity } from "../js/load.ts";
import { buildOnnx, type OnnxBuildOptions, replaceData } from "./model.ts";
import { type Device, openSession, runDensity } from "./session.ts";

/** Options of the ONNX backend. */
export interface OnnxCompileOptions extends OnnxBuildOptions {
  /** Execution device (default "cpu"); "cuda" falls back to the CPU with a note when CUDA is unavailable. */
  readonly device?: Device;
  /** onnxruntime's intra-op threads (default: its own choice). */
  readonly threads?: number;
}

/** A density compiled to ONNX: the JavaScript density plus batched evaluation on onnxruntime. */
export interface OnnxDensity extends CompiledDensity, BatchDensity {
  /** The provider the session runs on. */
  readonly provider: Device;
  /** Why the asked-for device was not used (empty when it was). */
  readonly note: string;
  /** The ONNX model's bytes (what `exportOnnx` writes). */
  readonly bytes: Uint8Array;
  /** Releases the onnxruntime session. */
  release(): Promise<void>;
}

/** Compiles a model to the ONNX backend (see {@link compile}). */
export async function compileOnnx<D, O extends Outputs>(mdl: Model<D, O>, data: D, options: OnnxCompileOptions = {}): Promise<OnnxDensity> {
  const build = buildOnnx(mdl, data, options);
  const js = loadDensity(build.plain);
  const device = options.device ?? "cpu";
  let opened = await openSession(build.bytes, device, options.threads);
  // A data change rebuilds the model's initializers; calls wait for the new session.
  let ready: Promise<void> = Promise.resolve();
  let bytes = build.bytes;
  return {
    ...js,
    get provider() {
      return opened.provider;
    },
    get note() {
      return opened.note;
    },
    get bytes() {
      return bytes;
    },
    setData(values) {
      js.setData(values);
      bytes = replaceData(bytes, build.dtype, js.toPlain().data);
      const previous = opened.session;
      ready = ready.then(async () => {
        opened = await openSession(bytes, device, options.threads);
        await previous.release();
      });
    },
    async logpGradBatch(points, n, logp, grad) {
      await ready;
      await runDensity(opened.session, build.dtype, js.dim, points, n, logp, grad);
    },
    async release() {
      await ready;
      await opened.session.release();
    },
  };
}
