/**
 * Points per second of a batch density at one batch size: calls repeated
 * for at least `minMs` after one warm-up call, at fixed pseudo-random
 * points in (−1.5, 1.5)^d. Shared by the ONNX and WebGPU throughput
 * benchmarks (the latter runs it in a page).
 * @module
 */
import type { BatchDensity } from "../src/codegen/batch.ts";

/** Points per second of `d` at batch size `batch`. */
export async function pointsPerSecond(d: BatchDensity, batch: number, minMs: number): Promise<number> {
  const pts = Float64Array.from({ length: batch * d.dim }, (_, i) => Math.sin(i * 12.9898) * 1.5);
  const logp = new Float64Array(batch);
  const grad = new Float64Array(batch * d.dim);
  await d.logpGradBatch(pts, batch, logp, grad);
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    await d.logpGradBatch(pts, batch, logp, grad);
    calls++;
    elapsed = performance.now() - start;
  }
  return (calls * batch) / (elapsed / 1000);
}
