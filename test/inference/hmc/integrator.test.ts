/**
 * The leapfrog integrator (hmc/integrator.ts) against closed forms: the
 * velocity-Verlet update on a standard normal, exact time reversibility,
 * the local energy error of order ε³ (and, on the standard normal, its
 * exact value from the modified Hamiltonian the leapfrog conserves), and
 * the offset contract of kick and drift.
 */
import { describe, expect, it } from "vitest";
import type { LogDensity } from "../../../src/codegen/density.ts";
import { drift, energy, hamiltonian, kick, leapfrog } from "../../../src/inference/hmc/integrator.ts";
import { denseMetric, diagMetric, type Metric } from "../../../src/inference/hmc/metric.ts";
import { evaluate, newPoint, type Point } from "../../../src/inference/hmc/point.ts";
import { Rng } from "../../../src/random/rng.ts";
import { standardNormal } from "../../helpers/gaussian.ts";

/** A non-Gaussian density: log p = −Σ (q_i⁴/4 + q_i²/2) − q₀q₁/2 (smooth, log-concave, coupled). */
function quartic(d: number): LogDensity {
  const logp = (q: Float64Array): number => {
    let s = -0.5 * q[0] * q[1];
    for (let i = 0; i < d; i++) s -= q[i] ** 4 / 4 + (q[i] * q[i]) / 2;
    return s;
  };
  return {
    dim: d,
    logp,
    logpGrad(q, g) {
      for (let i = 0; i < d; i++) g[i] = -(q[i] ** 3) - q[i];
      g[0] -= 0.5 * q[1];
      g[1] -= 0.5 * q[0];
      return logp(q);
    },
  };
}

function pointAt(density: LogDensity, q: ArrayLike<number>, p: ArrayLike<number>): Point {
  const pt = newPoint(density.dim);
  pt.q.set(q);
  pt.p.set(p);
  expect(evaluate(density, pt)).toBe(true);
  return pt;
}

const unit = (d: number): Metric => diagMetric(new Float64Array(d).fill(1));

describe("leapfrog", () => {
  it("one step on a standard normal with a unit metric is the closed-form velocity-Verlet update", () => {
    // Proves the step, by hand: p½ = p + (ε/2)(−q), q′ = q + ε p½, p′ = p½ + (ε/2)(−q′), and that the point's
    // log density and gradient are those at q′ (−½‖q′‖², −q′).
    const d = 3;
    const density = standardNormal(d);
    const q = [0.3, -1.2, 2];
    const p = [1, 0.4, -0.7];
    for (const eps of [0.1, 0.75, -0.3]) {
      const pt = pointAt(density, q, p);
      expect(leapfrog(density, unit(d), pt, eps, new Float64Array(d))).toBe(true);
      for (let i = 0; i < d; i++) {
        const ph = p[i] - 0.5 * eps * q[i];
        const q1 = q[i] + eps * ph;
        const p1 = ph - 0.5 * eps * q1;
        expect(pt.q[i]).toBeCloseTo(q1, 15);
        expect(pt.p[i]).toBeCloseTo(p1, 15);
        expect(pt.g[i]).toBeCloseTo(-q1, 15);
      }
      expect(pt.lp).toBeCloseTo(-0.5 * pt.q.reduce((a, x) => a + x * x, 0), 15);
    }
  });

  it("with a diagonal metric the drift uses the velocity M⁻¹p", () => {
    // Proves q′ = q + ε M⁻¹ p½ (not ε p½ nor ε M p½), by hand, on a standard normal with M⁻¹ = diag(4, 0.25).
    const density = standardNormal(2);
    const inv = [4, 0.25];
    const q = [1, -1];
    const p = [0.5, 2];
    const eps = 0.2;
    const pt = pointAt(density, q, p);
    leapfrog(density, diagMetric(Float64Array.from(inv)), pt, eps, new Float64Array(2));
    for (let i = 0; i < 2; i++) {
      const ph = p[i] - 0.5 * eps * q[i];
      const q1 = q[i] + eps * inv[i] * ph;
      expect(pt.q[i]).toBeCloseTo(q1, 15);
      expect(pt.p[i]).toBeCloseTo(ph - 0.5 * eps * q1, 15);
    }
  });

  const reversibleCases: { name: string; density: LogDensity; metric: Metric }[] = [
    { name: "standard normal, unit metric", density: standardNormal(3), metric: unit(3) },
    {
      name: "quartic, dense metric",
      density: quartic(3),
      metric: denseMetric(Float64Array.of(2, 0.3, 0.1, 0.3, 1, -0.2, 0.1, -0.2, 0.5), 3),
    },
  ];
  for (const { name, density, metric } of reversibleCases) {
    it(`is time-reversible (${name}): a step of ε then −ε returns to the start to 1e-14`, () => {
      // Proves the symmetric composition kick–drift–kick is its own inverse under ε → −ε (exactly in real
      // arithmetic; here to rounding, |Δ| ≤ 1e-14 on coordinates of order 1), for 20 random starts and also
      // after 10 steps forward and 10 back.
      const rng = new Rng(12, 0);
      const v = new Float64Array(3);
      for (let t = 0; t < 20; t++) {
        const q = Array.from({ length: 3 }, () => rng.normal());
        const p = Array.from({ length: 3 }, () => rng.normal());
        const eps = 0.05 + 0.3 * rng.uniform();
        const pt = pointAt(density, q, p);
        leapfrog(density, metric, pt, eps, v);
        const moved = Math.max(...q.map((x, i) => Math.abs(pt.q[i] - x)));
        expect(moved).toBeGreaterThan(1e-3);
        leapfrog(density, metric, pt, -eps, v);
        for (let i = 0; i < 3; i++) {
          expect(Math.abs(pt.q[i] - q[i])).toBeLessThanOrEqual(1e-14);
          expect(Math.abs(pt.p[i] - p[i])).toBeLessThanOrEqual(1e-14);
        }
      }
      const q = [0.5, -0.4, 0.9];
      const p = [-0.3, 0.8, 0.2];
      const pt = pointAt(density, q, p);
      for (let k = 0; k < 10; k++) leapfrog(density, metric, pt, 0.1, v);
      for (let k = 0; k < 10; k++) leapfrog(density, metric, pt, -0.1, v);
      for (let i = 0; i < 3; i++) {
        expect(Math.abs(pt.q[i] - q[i])).toBeLessThanOrEqual(1e-13);
        expect(Math.abs(pt.p[i] - p[i])).toBeLessThanOrEqual(1e-13);
      }
    });
  }

  it("on a standard normal the energy error of one step is exactly (ε²/8)(‖q′‖² − ‖q‖²)", () => {
    // Proves the step against the modified Hamiltonian the leapfrog conserves on a unit harmonic oscillator:
    // with p′ = (1 − ε²/2)p − ε(1 − ε²/4)q and q′ = (1 − ε²/2)q + εp one checks p′² + (1 − ε²/4)q′² = p² + (1 − ε²/4)q²,
    // so H(q′, p′) − H(q, p) = (ε²/8)(‖q′‖² − ‖q‖²). Absolute tolerance 1e-14 (rounding of energies of order 1).
    const d = 3;
    const density = standardNormal(d);
    const metric = unit(d);
    const rng = new Rng(31, 0);
    for (let t = 0; t < 30; t++) {
      const q = Array.from({ length: d }, () => rng.normal());
      const p = Array.from({ length: d }, () => rng.normal());
      const eps = 0.5 * rng.uniform();
      const pt = pointAt(density, q, p);
      const h0 = hamiltonian(metric, pt);
      const q2 = q.reduce((a, x) => a + x * x, 0);
      leapfrog(density, metric, pt, eps, new Float64Array(d));
      const q2new = pt.q.reduce((a, x) => a + x * x, 0);
      expect(Math.abs(hamiltonian(metric, pt) - h0 - ((eps * eps) / 8) * (q2new - q2))).toBeLessThanOrEqual(1e-14);
    }
  });

  const orderCases: { name: string; density: LogDensity; metric: Metric; q: number[]; p: number[] }[] = [
    { name: "standard normal, unit metric", density: standardNormal(2), metric: unit(2), q: [1, -0.4], p: [0.5, 0.9] },
    {
      name: "quartic, dense metric",
      density: quartic(3),
      metric: denseMetric(Float64Array.of(2, 0.3, 0.1, 0.3, 1, -0.2, 0.1, -0.2, 0.5), 3),
      q: [0.7, -0.5, 0.3],
      p: [0.4, 0.6, -0.8],
    },
  ];
  for (const { name, density, metric, q, p } of orderCases) {
    it(`conserves energy to O(ε³) per step (${name}): the error shrinks ~8× when ε halves`, () => {
      // Proves the local energy error of one step is of third order: |ΔH(ε)| / |ΔH(ε/2)| → 2³ = 8 as ε → 0.
      // For ε = 0.02, 0.01, 0.005 the next-order term changes the ratio by O(ε) (here < 5 %), so each ratio
      // must lie in [7.2, 8.8]; a first-order integrator (e.g. a missing half kick) would give ~2–4.
      const errors = [0.02, 0.01, 0.005].map((eps) => {
        const pt = pointAt(density, q, p);
        const h0 = hamiltonian(metric, pt);
        leapfrog(density, metric, pt, eps, new Float64Array(q.length));
        return Math.abs(hamiltonian(metric, pt) - h0);
      });
      expect(errors[0]).toBeGreaterThan(1e-9);
      for (let k = 0; k + 1 < errors.length; k++) {
        const ratio = errors[k] / errors[k + 1];
        expect(ratio).toBeGreaterThan(7.2);
        expect(ratio).toBeLessThan(8.8);
      }
    });
  }

  it("returns false, with lp = −∞, when the density fails at the new position", () => {
    // Proves the divergence signal: a density that throws past q₀ > 1 (or returns NaN past q₀ > 1) makes the
    // step return false and marks the point's log density −∞; its energy is then +∞.
    const throwing: LogDensity = {
      dim: 1,
      logp: (q) => -0.5 * q[0] * q[0],
      logpGrad(q, g) {
        if (q[0] > 1) throw new Error("outside");
        g[0] = -q[0];
        return -0.5 * q[0] * q[0];
      },
    };
    const nan: LogDensity = { ...throwing, logpGrad: (q, g) => (q[0] > 1 ? NaN : ((g[0] = -q[0]), -0.5 * q[0] * q[0])) };
    for (const density of [throwing, nan]) {
      const pt = pointAt(density, [0.9], [3]);
      expect(leapfrog(density, unit(1), pt, 0.5, new Float64Array(1))).toBe(false);
      expect(pt.lp).toBe(-Infinity);
      expect(hamiltonian(unit(1), pt)).toBe(Infinity);
    }
  });
});

describe("kick and drift touch only [at, at + d)", () => {
  const SENTINEL = 777.125;
  const d = 3;
  const at = 4;
  const len = at + d + 5;
  const inside = (k: number): boolean => k >= at && k < at + d;

  it("kick: p[at, at + d) += h·g[at, at + d), nothing else read or written", () => {
    // Proves the momentum update on a row of a batch, by hand; g is NaN outside the row (a read there would
    // poison p) and p's other entries must keep their sentinel.
    const p = new Float64Array(len).fill(SENTINEL);
    const g = new Float64Array(len).fill(NaN);
    const p0 = [1, -2, 0.5];
    const g0 = [0.3, 0.1, -4];
    p.set(p0, at);
    g.set(g0, at);
    kick(p, g, 0.25, at, d);
    for (let k = 0; k < len; k++) expect(p[k]).toBe(inside(k) ? p0[k - at] + 0.25 * g0[k - at] : SENTINEL);
  });

  for (const metric of [
    diagMetric(Float64Array.of(2, 0.5, 3)),
    denseMetric(Float64Array.of(2, 0.3, 0.1, 0.3, 1, -0.2, 0.1, -0.2, 0.5), 3),
  ]) {
    it(`drift (${metric.kind}): q[at, at + d) += ε·M⁻¹p, v[at, at + d) = M⁻¹p, nothing else read or written`, () => {
      // Proves the position update on a row of a batch against a brute-force product with M⁻¹; p is NaN outside
      // the row, q and v keep their sentinels outside it, p is not modified.
      const inv = metric.kind === "diag" ? [2, 0, 0, 0, 0.5, 0, 0, 0, 3] : [2, 0.3, 0.1, 0.3, 1, -0.2, 0.1, -0.2, 0.5];
      const q = new Float64Array(len).fill(SENTINEL);
      const v = new Float64Array(len).fill(SENTINEL);
      const p = new Float64Array(len).fill(NaN);
      const q0 = [0.2, -0.7, 1.1];
      const p0 = [1.5, -0.5, 0.25];
      q.set(q0, at);
      p.set(p0, at);
      const pBefore = Array.from(p);
      const eps = 0.3;
      drift(metric, q, p, eps, v, at);
      const mp = [0, 1, 2].map((i) => inv[3 * i] * p0[0] + inv[3 * i + 1] * p0[1] + inv[3 * i + 2] * p0[2]);
      for (let k = 0; k < len; k++) {
        if (inside(k)) {
          expect(v[k]).toBeCloseTo(mp[k - at], 15);
          expect(q[k]).toBeCloseTo(q0[k - at] + eps * mp[k - at], 15);
        } else {
          expect(v[k]).toBe(SENTINEL);
          expect(q[k]).toBe(SENTINEL);
        }
      }
      expect(Array.from(p)).toEqual(pBefore);
    });
  }
});

describe("energy", () => {
  const metric = diagMetric(Float64Array.of(1, 4));

  it("is −lp + ½ pᵀ M⁻¹ p of p[at, at + d)", () => {
    // By hand: lp = −1.5, p = (1, 0.5), M⁻¹ = diag(1, 4): H = 1.5 + ½(1 + 4·0.25) = 2.5; at offset 3 the same.
    expect(energy(-1.5, metric, Float64Array.of(1, 0.5))).toBeCloseTo(2.5, 15);
    expect(energy(-1.5, metric, Float64Array.of(NaN, NaN, NaN, 1, 0.5, NaN), 3)).toBeCloseTo(2.5, 15);
  });

  it("returns +∞ where it is not a number", () => {
    // Proves the failed-density convention: a NaN log density, a NaN momentum, or lp = −∞ give +∞ (so the
    // acceptance exp(H₀ − H) is 0), never NaN; so does lp = +∞ with an infinite momentum (−∞ + ∞ is NaN).
    expect(energy(NaN, metric, Float64Array.of(1, 1))).toBe(Infinity);
    expect(energy(0, metric, Float64Array.of(NaN, 1))).toBe(Infinity);
    expect(energy(-Infinity, metric, Float64Array.of(1, 1))).toBe(Infinity);
    expect(energy(Infinity, metric, Float64Array.of(Infinity, 1))).toBe(Infinity);
  });
});
