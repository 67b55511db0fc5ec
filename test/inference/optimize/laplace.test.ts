/**
 * The Laplace approximation (src/inference/optimize/laplace.ts) on a
 * Gaussian target, where it is exact: the covariance, the draws' moments
 * within Monte-Carlo error, and log_q__ against log_p__; then a saddle,
 * failing draws, options and progress.
 */
import { describe, expect, it } from "vitest";
import type { LogDensity } from "../../../src/codegen/density.ts";
import type { EngineProgress } from "../../../src/inference/engine.ts";
import { OptimizeError } from "../../../src/inference/optimize/errors.ts";
import { laplace } from "../../../src/inference/optimize/laplace.ts";
import { correlatedGaussian } from "../../helpers/gaussian.ts";
import { failingWhere } from "./targets.ts";

const mean = [1, -2, 30];
const target = correlatedGaussian(mean, [4, 1.2, -0.6, 1.2, 1, 0.3, -0.6, 0.3, 2]);
const d = 3;
const mode = Float64Array.from(mean);

describe("laplace", () => {
  it("has covariance (−H)⁻¹ = Σ for a Gaussian, to 1e-6", () => {
    const r = laplace(target, mode, { seed: 1, draws: 10 });
    // The Hessian is exact to ~4e-10 relative (see hessian.test.ts); inverting multiplies that by the
    // condition number of Σ (≈ 9 here), so 1e-6 relative has three orders of magnitude to spare.
    const scale = Math.max(...target.cov.map(Math.abs));
    r.covariance.forEach((v, k) => expect(Math.abs(v - target.cov[k])).toBeLessThan(1e-6 * scale));
    expect(r.mode).toEqual(mode);
    expect(r.hessian).toHaveLength(d * d);
  });

  it("draws with the mean and covariance of the target, within Monte-Carlo error", () => {
    const n = 4000;
    const { draws } = laplace(target, mode, { seed: 1, draws: n });
    expect([draws.n, draws.dim, draws.points.length]).toEqual([n, d, n * d]);
    const at = (m: number, i: number) => draws.points[m * d + i];
    const sampleMean = mean.map((_, i) => Array.from({ length: n }, (_, m) => at(m, i)).reduce((s, v) => s + v, 0) / n);
    for (let i = 0; i < d; i++) {
      // The mean of n draws has sd √(Σᵢᵢ/n): within 4 of those.
      expect(Math.abs(sampleMean[i] - mean[i])).toBeLessThan(4 * Math.sqrt(target.cov[i * d + i] / n));
      for (let j = 0; j <= i; j++) {
        let c = 0;
        for (let m = 0; m < n; m++) c += (at(m, i) - sampleMean[i]) * (at(m, j) - sampleMean[j]);
        c /= n - 1;
        // A sample covariance of normal draws has variance (ΣᵢᵢΣⱼⱼ + Σᵢⱼ²)/n: within 4 of its sds.
        const sij = target.cov[i * d + j];
        expect(Math.abs(c - sij)).toBeLessThan(4 * Math.sqrt((target.cov[i * d + i] * target.cov[j * d + j] + sij * sij) / n));
      }
    }
  });

  it("writes log_q__ = ½ (θ − θ̂)ᵀ H (θ − θ̂), which equals log_p__ up to a constant for a Gaussian", () => {
    const { draws, hessian: h } = laplace(target, mode, { seed: 2, draws: 200 });
    expect(Object.keys(draws.columns).sort()).toEqual(["log_p__", "log_q__"]);
    const { log_p__: lp, log_q__: lq } = draws.columns;
    const lpMode = target.logp(mode);
    for (let m = 0; m < draws.n; m++) {
      const diff = Array.from({ length: d }, (_, i) => draws.points[m * d + i] - mode[i]);
      let quad = 0;
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) quad += 0.5 * diff[i] * h[i * d + j] * diff[j];
      // Stan's formula and −½ zᵀz are the same number up to rounding in the triangular solve (1e-12 relative).
      expect(Math.abs(lq[m] - quad)).toBeLessThan(1e-12 * Math.max(1, Math.abs(quad)));
      // The approximation is exact, so log p − log q is the constant log p(θ̂); the Hessian's ~4e-10
      // relative error times |log q| (≤ ~10 for 200 draws in d = 3) bounds the difference: 1e-8.
      expect(Math.abs(lp[m] - lq[m] - lpMode)).toBeLessThan(1e-8 * Math.max(1, Math.abs(lq[m])));
    }
  });

  it("is reproducible from its seed", () => {
    const a = laplace(target, mode, { seed: 5, draws: 20 }).draws.points;
    expect(laplace(target, mode, { seed: 5, draws: 20 }).draws.points).toEqual(a);
    expect(laplace(target, mode, { seed: 6, draws: 20 }).draws.points).not.toEqual(a);
  });

  it("throws an OptimizeError when the point is not a maximum", () => {
    const quadratic = (a: number, b: number, c: number): LogDensity => ({
      // log p = ½ (a x₀² + 2c x₀x₁ + b x₁²), Hessian [[a, c], [c, b]].
      dim: 2,
      logp: (x) => 0.5 * (a * x[0] ** 2 + 2 * c * x[0] * x[1] + b * x[1] ** 2),
      logpGrad(x, g) {
        g[0] = a * x[0] + c * x[1];
        g[1] = c * x[0] + b * x[1];
        return this.logp(x);
      },
    });
    const at = new Float64Array(2);
    expect(() => laplace(quadratic(-1, 1, 0), at, { seed: 1 })).toThrow(OptimizeError);
    expect(() => laplace(quadratic(-1, 1, 0), at, { seed: 1 })).toThrow(/not concave along coordinate 1/);
    expect(() => laplace(quadratic(-1, -1, 3), at, { seed: 1 })).toThrow(/not negative definite.*some combination of coordinates/);
  });

  for (const how of ["nan", "throw"] as const) {
    it(`keeps a draw where log p fails (${how}) with log_p__ = −∞ and counts it`, () => {
      // Fails one sd above the mean in the first coordinate: about 16 % of the draws.
      const failing = failingWhere(target, (x) => x[0] > mean[0] + 2, how);
      const r = laplace(failing, mode, { seed: 3, draws: 500 });
      const bad = Array.from({ length: 500 }, (_, m) => r.draws.points[m * d] > mean[0] + 2);
      expect(r.recovered).toBe(bad.filter(Boolean).length);
      expect(r.recovered).toBeGreaterThan(0);
      bad.forEach((b, m) => expect(r.draws.columns.log_p__[m] === -Infinity).toBe(b));
      expect(r.draws.columns.log_q__.every(Number.isFinite)).toBe(true);
    });
  }

  it("checks its options, reports progress per draw, and stops on an aborted signal", () => {
    expect(() => laplace(target, mode, { seed: 1, draws: 0 })).toThrow(/draws must be a positive integer/);
    expect(() => laplace(target, new Float64Array(2), { seed: 1 })).toThrow(/2 values, the density has dimension 3/);
    expect(laplace(target, mode, { seed: 1 }).draws.n).toBe(1000);
    const events: EngineProgress[] = [];
    laplace(target, mode, { seed: 1, draws: 7, onProgress: (p) => events.push(p) });
    expect(events.map((e) => [e.phase, e.iter, e.total])).toEqual(Array.from({ length: 7 }, (_, i) => ["laplace", i + 1, 7]));
    const ctl = new AbortController();
    ctl.abort(new Error("stop"));
    expect(() => laplace(target, mode, { seed: 1, signal: ctl.signal })).toThrow("stop");
  });
});
