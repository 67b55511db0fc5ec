/**
 * The page `npm run bench:webgpu` measures in (bundled for the browser by
 * bench/webgpu.ts): per benchmark model, the WebGPU backend's compile time
 * and points per second of log p + gradient beside the JavaScript
 * backend's in the same page, at each batch size.
 * @module
 */
import { benchmarks } from "../examples/index.ts";
import { batchOf } from "../src/codegen/batch.ts";
import { compile } from "../src/codegen/compile.ts";
import { pointsPerSecond } from "./pointsPerSecond.ts";

/** One model's figures. */
export interface WebGpuRow {
  readonly model: string;
  readonly dim: number;
  /** Milliseconds from model to a density ready to run (shader compiled, float32 check included). */
  readonly compileMs: number;
  /** Size of the generated WGSL, in characters. */
  readonly wgslChars: number;
  readonly js: Record<number, number>;
  readonly gpu: Record<number, number>;
}

/** Measures `model` at each batch size, best of `rounds` alternating rounds of at least `minMs` each. */
async function measure(model: string, batches: number[], rounds: number, minMs: number): Promise<WebGpuRow> {
  const ex = benchmarks[model as keyof typeof benchmarks];
  const js = batchOf(compile(ex.model, ex.data));
  const t0 = performance.now();
  const gpu = await compile(ex.model, ex.data, { backend: "webgpu" });
  const compileMs = performance.now() - t0;
  const row: WebGpuRow = { model, dim: js.dim, compileMs, wgslChars: gpu.wgsl.length, js: {}, gpu: {} };
  for (const b of batches) {
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? (["js", "gpu"] as const) : (["gpu", "js"] as const);
      for (const side of order) row[side][b] = Math.max(row[side][b] ?? 0, await pointsPerSecond(side === "js" ? js : gpu, b, minMs));
    }
  }
  await gpu.release();
  return row;
}

(globalThis as unknown as { measure: typeof measure }).measure = measure;
