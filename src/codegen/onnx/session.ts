/**
 * onnxruntime-node sessions: execution providers with CPU fallback, and
 * batched calls of a density graph.
 * @module
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as ort from "onnxruntime-node";
import type { Dtype } from "./proto.ts";

/** Where a density runs. */
export type Device = "cpu" | "cuda";

/** A session and the provider it runs on, with the reason when it is not the one asked for. */
export interface OpenedSession {
  readonly session: ort.InferenceSession;
  readonly provider: Device;
  /** Why the asked-for device was not used (empty when it was). */
  readonly note: string;
}

/** How a user with an NVIDIA GPU gets onnxruntime-node's CUDA provider. */
export const CUDA_HELP =
  "onnxruntime-node's CUDA libraries are not installed (sampo installs it with ONNXRUNTIME_NODE_INSTALL=skip). " +
  "On a machine with an NVIDIA GPU, CUDA 12 and cuDNN 9, " +
  "`ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js` downloads them.";

/** Where onnxruntime-node keeps its CUDA provider library, installed or not. */
function cudaLibrary(): string {
  const root = dirname(createRequire(import.meta.url).resolve("onnxruntime-node/package.json"));
  const file = process.platform === "win32" ? "onnxruntime_providers_cuda.dll" : "libonnxruntime_providers_cuda.so";
  return join(root, "bin", "napi-v6", process.platform, process.arch, file);
}

/** Opens a session on `device`, falling back to the CPU with a note saying why. */
export async function openSession(bytes: Uint8Array, device: Device, threads?: number): Promise<OpenedSession> {
  const base: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: "all",
    ...(threads === undefined ? {} : { intraOpNumThreads: threads }),
  };
  if (device === "cuda") {
    const library = cudaLibrary();
    let why = `${library} is missing`;
    // Without the library onnxruntime would fail too, logging to stderr: the note says it instead.
    if (existsSync(library)) {
      try {
        const session = await ort.InferenceSession.create(bytes, { ...base, executionProviders: ["cuda", "cpu"] });
        return { session, provider: "cuda", note: "" };
      } catch (e) {
        why = (e as Error).message.split("\n")[0];
      }
    }
    const session = await ort.InferenceSession.create(bytes, { ...base, executionProviders: ["cpu"] });
    return { session, provider: "cpu", note: `CUDA execution provider unavailable (${why}); running on the CPU provider. ${CUDA_HELP}` };
  }
  const session = await ort.InferenceSession.create(bytes, { ...base, executionProviders: ["cpu"] });
  return { session, provider: "cpu", note: "" };
}

/** Runs a density session on `n` points (row-major, n × dim), writing log p and gradients. */
export async function runDensity(
  session: ort.InferenceSession,
  dtype: Dtype,
  dim: number,
  points: Float64Array,
  n: number,
  logp: Float64Array,
  grad: Float64Array,
): Promise<void> {
  const flat = points.subarray(0, n * dim);
  const input = dtype === "float64" ? flat : Float32Array.from(flat);
  const r = await session.run({ theta: new ort.Tensor(dtype, input, [n, dim]) });
  logp.set(r.logp.data as Float64Array | Float32Array);
  grad.set(r.grad.data as Float64Array | Float32Array);
}
