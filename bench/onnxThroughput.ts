/**
 * Throughput of log p + gradient (points per second) of each benchmark
 * model on the JavaScript backend and on ONNX (onnxruntime's CPU provider),
 * at batch sizes 1, 64 and 1024 side by side, and the crossover: the
 * smallest batch (powers of two up to 4096) from which ONNX serves more
 * points per second than JavaScript.
 *
 * JavaScript evaluates a batch point by point (`batchOf`), as lockstep
 * chains on the JS backend do. Each measurement repeats calls for at least
 * `minMs` and keeps the best of `rounds` rounds, alternating the backends.
 * @module
 */
import { benchmarks } from "../examples/index.ts";
import { batchOf, type BatchDensity } from "../src/codegen/batch.ts";
import { compile } from "../src/codegen/compile.ts";
import { pointsPerSecond } from "./pointsPerSecond.ts";

/** One model's result. */
export interface ThroughputRow {
  readonly model: string;
  readonly dim: number;
  /** Points per second by batch size. */
  readonly js: Readonly<Record<number, number>>;
  readonly onnx: Readonly<Record<number, number>>;
  /** Smallest batch where ONNX ≥ JS, or null up to the largest tried. */
  readonly crossover: number | null;
}

const SHOWN = [1, 64, 1024];
const SWEEP = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];

/** Measures every benchmark model (or those named). */
export async function throughput(models: readonly string[], rounds = 3, minMs = 150): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  for (const model of models) {
    const ex = benchmarks[model as keyof typeof benchmarks];
    const js = batchOf(compile(ex.model, ex.data));
    const onnx = await compile(ex.model, ex.data, { backend: "onnx" });
    const best = { js: {} as Record<number, number>, onnx: {} as Record<number, number> };
    for (const batch of SWEEP) {
      for (let r = 0; r < rounds; r++) {
        for (const [side, d] of (r % 2 === 0
          ? [
              ["js", js],
              ["onnx", onnx],
            ]
          : [
              ["onnx", onnx],
              ["js", js],
            ]) as [keyof typeof best, BatchDensity][]) {
          best[side][batch] = Math.max(best[side][batch] ?? 0, await pointsPerSecond(d, batch, minMs));
        }
      }
    }
    await onnx.release();
    const crossover = SWEEP.find((b) => best.onnx[b] >= best.js[b]) ?? null;
    rows.push({ model, dim: js.dim, js: best.js, onnx: best.onnx, crossover });
  }
  return rows;
}

const fmt = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0));

/** The table, as Markdown. */
export function throughputTable(rows: readonly ThroughputRow[]): string {
  const head = ["model", "d", ...SHOWN.flatMap((b) => [`JS B=${b}`, `ONNX B=${b}`]), "crossover B"];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const r of rows) {
    const cells = SHOWN.flatMap((b) => [fmt(r.js[b]), fmt(r.onnx[b])]);
    lines.push(`| ${[r.model, r.dim, ...cells, r.crossover === null ? `> ${SWEEP[SWEEP.length - 1]}` : r.crossover].join(" | ")} |`);
  }
  return lines.join("\n");
}
