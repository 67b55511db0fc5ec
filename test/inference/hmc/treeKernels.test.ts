/**
 * The NUTS tree's WebAssembly passes (src/inference/hmc/kernels.wat,
 * treeWorkspace.ts): kernels.ts is what the .wat assembles to, and a chain
 * of 400 transitions run with them gives the same bits as with the JavaScript
 * loops (every sum in the same order), for each metric form, odd and even
 * dimensions at and above the kernels' threshold, a density that throws
 * and diverges, and a tree deeper than the workspace was first sized for.
 */
import { describe, expect, it } from "vitest";
import type { LogDensity } from "../../../src/codegen/density.ts";
import { denseMetric, diagMetric, type Metric } from "../../../src/inference/hmc/metric.ts";
import { lowRankMetric } from "../../../src/inference/hmc/lowRankMetric.ts";
import { Nuts } from "../../../src/inference/hmc/nuts.ts";
import { evaluate, newPoint } from "../../../src/inference/hmc/point.ts";
import { treeWorkspace } from "../../../src/inference/hmc/treeWorkspace.ts";
import { KERNELS_BASE64 } from "../../../src/inference/hmc/kernels.ts";
import { Rng } from "../../../src/random/rng.ts";
import { assemble, kernelsModule, NUTS } from "../../../scripts/buildWasm.ts";

/** A Gaussian with scales 1 + i/7, which throws where x₁ > `wall` (a leaf there diverges). */
function gaussian(d: number, wall = Infinity): LogDensity {
  const scale = (i: number) => 1 + i / 7;
  return {
    dim: d,
    logp: () => Number.NaN,
    logpGrad(q, g) {
      if (q[1] > wall) throw new Error("outside the wall");
      let s = 0;
      for (let i = 0; i < d; i++) {
        const z = q[i] / scale(i);
        s -= 0.5 * z * z;
        g[i] = -z / scale(i);
      }
      return s;
    },
  };
}

/** Of `n` transitions: draws, statistics and energies as numbers; the tree depths; the leaves where the density failed. */
function run(density: LogDensity, metric: Metric, loops: boolean, stepSize: number, maxDepth: number, n = 400) {
  const nuts = new Nuts(density, metric, loops);
  expect(nuts.wasm).toBe(!loops);
  const point = newPoint(density.dim);
  point.q.fill(0.2);
  evaluate(density, point);
  const rng = new Rng(11);
  const bits: number[] = [];
  const depths: number[] = [];
  let recovered = 0;
  for (let t = 0; t < n; t++) {
    const s = nuts.transition(point, rng, { stepSize, maxDepth });
    bits.push(...point.q, ...point.g, point.lp, s.acceptStat, s.energy, s.nLeapfrog, s.treeDepth, s.divergent ? 1 : 0, s.recovered);
    depths.push(s.treeDepth);
    recovered += s.recovered;
  }
  return { bits, depths, recovered };
}

const sameBits = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

describe("the NUTS tree's WebAssembly passes", () => {
  it("kernels.ts is what kernels.wat assembles to (run npm run build:wasm after editing the .wat)", async () => {
    const bytes = await assemble(NUTS);
    expect(kernelsModule(NUTS, bytes)).toContain(KERNELS_BASE64);
    expect(Buffer.from(bytes).toString("base64")).toBe(KERNELS_BASE64);
  });

  it("are there to be used: this runtime has WebAssembly SIMD", () => {
    expect(treeWorkspace(16, 10).kernels).toBeDefined();
    expect(treeWorkspace(16, 10, true).kernels).toBeUndefined();
    // From d = 16 on only: below, the loops are cheaper than the call, and the workspace is a plain buffer.
    const unit = (d: number) => diagMetric(new Float64Array(d).fill(1));
    expect(new Nuts(gaussian(15), unit(15)).wasm).toBe(false);
    expect(new Nuts(gaussian(16), unit(16)).wasm).toBe(true);
  });

  const metrics: [string, (d: number) => Metric][] = [
    ["diagonal", (d) => diagMetric(Float64Array.from({ length: d }, (_, i) => 0.5 + i / 10))],
    [
      "dense",
      (d) => {
        const m = new Float64Array(d * d);
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m[i * d + j] = i === j ? 1 + i / 5 : 0.3 / (1 + Math.abs(i - j));
        return denseMetric(m, d);
      },
    ],
    [
      "low-rank",
      (d) => {
        const u = Float64Array.from({ length: d }, (_, i) => (i < 2 ? Math.SQRT1_2 : 0));
        return lowRankMetric(new Float64Array(d).fill(1.5), u, Float64Array.from([4]));
      },
    ],
  ];
  for (const [form, metric] of metrics) {
    for (const d of [16, 17, 40]) {
      it(`give the JavaScript loops' bits: ${form} metric, d = ${d}`, () => {
        const density = gaussian(d);
        const wasm = run(density, metric(d), false, 0.4, 10);
        expect(sameBits(wasm.bits, run(density, metric(d), true, 0.4, 10).bits)).toBe(true);
      });
    }
  }

  it("give the JavaScript loops' bits where the density throws and leaves diverge (d = 21)", () => {
    const density = gaussian(21, 0.9);
    const wasm = run(density, metrics[0][1](21), false, 1.1, 10);
    expect(sameBits(wasm.bits, run(density, metrics[0][1](21), true, 1.1, 10).bits)).toBe(true);
    expect(wasm.recovered).toBeGreaterThan(0);
  });

  it("grow the workspace for a tree deeper than 10, with the same bits", () => {
    const density = gaussian(18);
    const wasm = run(density, metrics[0][1](18), false, 0.002, 12, 4);
    expect(Math.max(...wasm.depths)).toBe(12);
    expect(sameBits(wasm.bits, run(density, metrics[0][1](18), true, 0.002, 12, 4).bits)).toBe(true);
  });
});
