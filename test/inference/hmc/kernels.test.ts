/**
 * The kernels on their own: static HMC and NUTS leave a standard normal
 * invariant (z-tests of mean and variance of 20,000 draws with our MCSE,
 * Bonferroni over 2 × 3 coordinates at family-wise level 1e-3), and a
 * density that throws or returns NaN at about 1e-3 of the points it is
 * asked about makes divergences of those leaves (counted as `recovered`),
 * not a failed chain, and the target is still recovered.
 */
import { describe, expect, it } from "vitest";
import type { LogDensity } from "../../../src/codegen/density.ts";
import { summarizeColumn } from "../../../src/inference/diagnostics/summary.ts";
import { diagMetric } from "../../../src/inference/hmc/metric.ts";
import { Nuts } from "../../../src/inference/hmc/nuts.ts";
import { evaluate, newPoint } from "../../../src/inference/hmc/point.ts";
import { StaticHmc } from "../../../src/inference/hmc/staticHmc.ts";
import { Rng } from "../../../src/random/rng.ts";
import { bonferroniZ } from "../../helpers/reference.ts";

const D = 3;
const N = 20_000;

const standardNormal: LogDensity = {
  dim: D,
  logp: (q) => -0.5 * q.reduce((a, x) => a + x * x, 0),
  logpGrad(q, g) {
    let s = 0;
    for (let i = 0; i < D; i++) {
      s -= 0.5 * q[i] * q[i];
      g[i] = -q[i];
    }
    return s;
  },
};

/** Faults at about 1e-3 of points, chosen by a hash of θ so runs stay reproducible. */
function faulty(inner: LogDensity): LogDensity & { faults: number } {
  const buf = new Float64Array(1);
  const bits = new Uint32Array(buf.buffer);
  const f = {
    faults: 0,
    dim: inner.dim,
    logp: inner.logp,
    logpGrad(q: Float64Array, g: Float64Array): number {
      buf[0] = q[0] + 3 * q[1];
      const h = Math.imul(bits[0] ^ bits[1], 0x9e3779b1) >>> 0;
      if (h % 1000 === 0) {
        f.faults++;
        if (h % 2000 === 0) throw new Error("injected fault");
        return Number.NaN;
      }
      return inner.logpGrad(q, g);
    },
  };
  return f;
}

function run(
  step: (pt: ReturnType<typeof newPoint>, rng: Rng) => { recovered: number },
  density: LogDensity,
): { draws: Float64Array[]; recovered: number } {
  const rng = new Rng(8, 1);
  const pt = newPoint(D);
  pt.q.set([0.3, -0.2, 0.1]);
  expect(evaluate(density, pt)).toBe(true);
  const draws = Array.from({ length: D }, () => new Float64Array(N));
  let recovered = 0;
  for (let t = 0; t < 500; t++) step(pt, rng);
  if ("faults" in density) density.faults = 0;
  for (let t = 0; t < N; t++) {
    recovered += step(pt, rng).recovered;
    for (let i = 0; i < D; i++) draws[i][t] = pt.q[i];
  }
  return { draws, recovered };
}

function expectStandardNormal(draws: Float64Array[]): void {
  const zc = bonferroniZ(2 * D, 1e-3);
  for (const x of draws) {
    const s = summarizeColumn([x]);
    expect(Math.abs(s.mean / s.mcse_mean)).toBeLessThan(zc);
    expect(Math.abs((s.sd - 1) / s.mcse_sd)).toBeLessThan(zc);
  }
}

describe("kernels", () => {
  it("static HMC leaves a standard normal invariant", () => {
    const hmc = new StaticHmc(standardNormal, diagMetric(new Float64Array(D).fill(1)));
    expectStandardNormal(run((pt, rng) => hmc.transition(pt, rng, { stepSize: 0.4, steps: 7 }), standardNormal).draws);
  });

  it("NUTS leaves a standard normal invariant", () => {
    const nuts = new Nuts(standardNormal, diagMetric(new Float64Array(D).fill(1)));
    expectStandardNormal(run((pt, rng) => nuts.transition(pt, rng, { stepSize: 0.7, maxDepth: 10 }), standardNormal).draws);
  });

  it("NUTS survives a density that throws or returns NaN, and still recovers the target", () => {
    const density = faulty(standardNormal);
    const nuts = new Nuts(density, diagMetric(new Float64Array(D).fill(1)));
    const { draws, recovered } = run((pt, rng) => nuts.transition(pt, rng, { stepSize: 0.7, maxDepth: 10 }), density);
    expect(density.faults).toBeGreaterThan(20);
    expect(recovered).toBe(density.faults);
    expectStandardNormal(draws);
  });
});
