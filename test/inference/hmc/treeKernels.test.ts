/**
 * NUTS in WebAssembly (src/inference/hmc/kernels.wat, treeWorkspace.ts):
 * kernels.ts is what the .wat assembles to, and a chain of 400 transitions
 * run with it (a diagonal metric's whole transition; the other metrics'
 * leaf and merge passes from d = 16 on) gives the same bits as run in
 * JavaScript (every sum in the same order), for each metric form, odd and
 * even dimensions below and above the passes' threshold, a density that
 * throws and diverges, and a tree deeper than the workspace was first
 * sized for.
 */
import { describe, expect, it } from "vitest";
import type { LogDensity } from "../../../src/codegen/density.ts";
import { denseMetric, diagMetric, type Metric } from "../../../src/inference/hmc/metric.ts";
import { lowRankMetric } from "../../../src/inference/hmc/lowRankMetric.ts";
import { Nuts } from "../../../src/inference/hmc/nuts.ts";
import type { DrawStats } from "../../../src/inference/draws.ts";
import { evaluate, newPoint, type Point } from "../../../src/inference/hmc/point.ts";
import { releaseWorkspace, treeWorkspace } from "../../../src/inference/hmc/treeWorkspace.ts";
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

/** A transition's outcome as numbers: the draw, its gradient and log density, and the statistics. */
const outcome = (point: Point, s: DrawStats): number[] => [
  ...point.q,
  ...point.g,
  point.lp,
  s.acceptStat,
  s.energy,
  s.nLeapfrog,
  s.treeDepth,
  s.divergent ? 1 : 0,
  s.recovered,
];

/** The chains' start: every coordinate 0.2, evaluated. */
function startPoint(density: LogDensity): Point {
  const point = newPoint(density.dim);
  point.q.fill(0.2);
  evaluate(density, point);
  return point;
}

/** Of `n` transitions: draws, statistics and energies as numbers; the tree depths; the leaves where the density failed. */
function run(density: LogDensity, metric: Metric, loops: boolean, stepSize: number, maxDepth: number, n = 400) {
  const nuts = new Nuts(density, metric, loops);
  expect(nuts.wasm).toBe(!loops);
  const point = startPoint(density);
  const rng = new Rng(11);
  const bits: number[] = [];
  const depths: number[] = [];
  let recovered = 0;
  let divergent = 0;
  for (let t = 0; t < n; t++) {
    const s = nuts.transition(point, rng, { stepSize, maxDepth });
    bits.push(...outcome(point, s));
    depths.push(s.treeDepth);
    recovered += s.recovered;
    if (s.divergent) divergent++;
  }
  return { bits, depths, recovered, divergent };
}

const sameBits = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

describe("NUTS in WebAssembly", () => {
  it("kernels.ts is what kernels.wat assembles to (run npm run build:wasm after editing the .wat)", async () => {
    const bytes = await assemble(NUTS);
    expect(kernelsModule(NUTS, bytes)).toContain(KERNELS_BASE64);
    expect(Buffer.from(bytes).toString("base64")).toBe(KERNELS_BASE64);
  });

  it("is there to be used: this runtime has WebAssembly SIMD", () => {
    const callbacks = { logp: () => 0, uniform: () => 0.5 };
    expect(treeWorkspace(16, 10, false, callbacks).kernels).toBeDefined();
    expect(treeWorkspace(16, 10, true, callbacks).kernels).toBeUndefined();
    const unit = (d: number) => diagMetric(new Float64Array(d).fill(1));
    expect(new Nuts(gaussian(2), unit(2)).wasm).toBe(true);
    expect(new Nuts(gaussian(2), unit(2), true).wasm).toBe(false);
  });

  it("lays the workspace out where kernels.wat looks for it: vector k at byte 8dk, the scalars after the levels", () => {
    const d = 3;
    const ws = treeWorkspace(d, 4, false, { logp: () => 0, uniform: () => 0.5 });
    const at = (v: Float64Array) => v.byteOffset / (8 * d);
    expect([ws.z.q, ws.z.p, ws.z.g, ws.fwd.q, ws.bck.q, ws.sample.q, ws.propose.g, ws.v, ws.inv].map(at)).toEqual([
      0, 1, 2, 3, 6, 9, 14, 15, 16,
    ]);
    expect([ws.top.pFwdFwd, ws.top.vBckBck, ws.top.rho, ws.top.rhoBck].map(at)).toEqual([17, 24, 25, 27]);
    const lv = ws.levels[2];
    expect([lv.pInitEnd, lv.rhoInit, lv.rhoExtended, lv.proposeFinal.q, lv.proposeFinal.g].map(at)).toEqual([48, 50, 54, 55, 57]);
    expect([at(ws.scalars), ws.scalars.length]).toEqual([28 + 10 * 4, 9 + 4]);
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
    for (const d of [1, 2, 5, 15, 16, 17, 40]) {
      it(`give the JavaScript loops' bits: ${form} metric, d = ${d}`, () => {
        const density = gaussian(d);
        const wasm = run(density, metric(d), false, 0.4, 10);
        expect(sameBits(wasm.bits, run(density, metric(d), true, 0.4, 10).bits)).toBe(true);
      });
    }
  }

  for (const d of [3, 21]) {
    it(`give the JavaScript loops' bits where the density throws and leaves diverge (d = ${d})`, () => {
      const density = gaussian(d, 0.9);
      const wasm = run(density, metrics[0][1](d), false, 1.1, 10);
      expect(sameBits(wasm.bits, run(density, metrics[0][1](d), true, 1.1, 10).bits)).toBe(true);
      expect(wasm.recovered).toBeGreaterThan(0);
    });
  }

  it("give the JavaScript loops' bits where the energy error grows slowly past 1000 (d = 4, a step size at the stable limit)", () => {
    // One coordinate of scale 0.01: at ε = 0.02 the leapfrog step sits at its stability limit, where the error grows step by step.
    const stiff: LogDensity = {
      dim: 4,
      logp: () => Number.NaN,
      logpGrad(q, g) {
        let s = 0;
        for (let i = 0; i < 4; i++) {
          const scale = i === 0 ? 0.01 : 1;
          s -= 0.5 * (q[i] / scale) ** 2;
          g[i] = -q[i] / scale ** 2;
        }
        return s;
      },
    };
    const runs = [false, true].map((loops) => run(stiff, diagMetric(new Float64Array(4).fill(1)), loops, 0.02, 10, 100));
    expect(sameBits(runs[0].bits, runs[1].bits)).toBe(true);
    expect(runs[0].divergent).toBeGreaterThan(50);
    expect(new Set(runs[0].depths).size).toBeGreaterThan(3);
  });

  it("give the JavaScript loops' bits when the metric changes between transitions: diagonal, low-rank of rank 2 and 3, dense (d = 6)", () => {
    const d = 6;
    const directions = (k: number) => {
      // k orthonormal directions of R^6: normalized sums and differences of coordinate pairs.
      const u = new Float64Array(k * d);
      for (let j = 0; j < k; j++) {
        u[j * d + j] = Math.SQRT1_2;
        u[j * d + j + 3] = j % 2 === 0 ? Math.SQRT1_2 : -Math.SQRT1_2;
      }
      return u;
    };
    const sigma2 = Float64Array.from({ length: d }, (_, i) => 0.4 + i / 4);
    const forms = [
      diagMetric(sigma2),
      lowRankMetric(sigma2, directions(2), Float64Array.of(3, 0.2)),
      lowRankMetric(sigma2, directions(3), Float64Array.of(0.3, 2.5, 6)),
      metrics[1][1](d),
      lowRankMetric(sigma2, directions(2), Float64Array.of(5, 0.5)),
    ];
    const density = gaussian(d);
    const bits = [false, true].map((loops) => {
      const nuts = new Nuts(density, forms[0], loops);
      const point = startPoint(density);
      const rng = new Rng(5);
      const out: number[] = [];
      for (let t = 0; t < 250; t++) {
        nuts.metric = forms[Math.floor(t / 50)];
        const s = nuts.transition(point, rng, { stepSize: 0.45, maxDepth: 10 });
        out.push(...outcome(point, s));
      }
      return out;
    });
    expect(sameBits(bits[0], bits[1])).toBe(true);
  });

  it("grow the workspace for a tree deeper than 10, with the same bits", () => {
    const density = gaussian(18);
    const wasm = run(density, metrics[0][1](18), false, 0.002, 12, 4);
    expect(Math.max(...wasm.depths)).toBe(12);
    expect(sameBits(wasm.bits, run(density, metrics[0][1](18), true, 0.002, 12, 4).bits)).toBe(true);
  });

  it("hands a released workspace out again, calling back its new holder; a kernel that released its own takes another", () => {
    const callbacks = { logp: () => 0, uniform: () => 0.5 };
    const first = treeWorkspace(7, 10, false, callbacks);
    releaseWorkspace(first);
    releaseWorkspace(first); // twice is once
    const again = treeWorkspace(7, 10, false, callbacks);
    expect(again).toBe(first);
    expect(treeWorkspace(7, 10, false, callbacks)).not.toBe(first);
    expect(treeWorkspace(7, 11, false, callbacks)).not.toBe(first);
    // One with room for a low-rank metric of rank 2 serves ranks up to 2.
    const ranked = treeWorkspace(7, 10, false, callbacks, 2);
    releaseWorkspace(ranked);
    expect(treeWorkspace(7, 10, false, callbacks, 3)).not.toBe(ranked);
    expect(treeWorkspace(7, 10, false, callbacks, 1)).toBe(ranked);

    // Kernels taking turns with released workspaces, and one taking its own back, give an uninterrupted run's bits.
    const density = gaussian(5);
    const transitions = (kernel: Nuts, point: Point, rng: Rng, n: number) =>
      Array.from({ length: n }, () => outcome(point, kernel.transition(point, rng, { stepSize: 0.4, maxDepth: 10 }))).flat();
    const lowRank = (sigma2: number) => lowRankMetric(new Float64Array(5).fill(sigma2), Float64Array.of(0, 1, 0, 0, 0), Float64Array.of(3));
    // A diagonal metric, and a low-rank one (its parts live in the workspace).
    for (const [metric, another] of [
      [metrics[0][1](5), diagMetric(new Float64Array(5).fill(0.7))],
      [lowRank(1.5), lowRank(0.7)],
    ]) {
      const reference = run(density, metric, true, 0.4, 10, 60).bits;
      const other = new Nuts(density, metric);
      other.release();
      const nuts = new Nuts(density, metric); // holds other's workspace
      const point = startPoint(density);
      const rng = new Rng(11);
      const bits = transitions(nuts, point, rng, 30);
      nuts.release();
      transitions(new Nuts(density, another), newPoint(5), new Rng(3), 5); // another kernel, another metric, takes the workspace meanwhile
      bits.push(...transitions(nuts, point, rng, 30));
      expect(sameBits(bits, reference)).toBe(true);
    }
  });
});
