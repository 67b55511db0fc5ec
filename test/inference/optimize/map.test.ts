/**
 * MAP by L-BFGS on compiled models against closed-form modes: a conjugate
 * normal, ridge regression, and a positive parameter (a gamma-distributed
 * precision) where the log-Jacobian moves the mode.
 *
 * Tolerances. With only the gradient test on (‖∇‖ < 1e-8), a log p that
 * is quadratic in θ (the first two models) gives θ − θ̂ = −Σ∇ exactly, Σ the
 * posterior covariance, so |θᵢ − θ̂ᵢ| < ‖Σ‖·1e-8 (‖Σ‖ its largest
 * eigenvalue, at most its trace). With Stan's defaults the run stops on
 * the relative-gradient test ∇ᵀH∇ < 1e7·ε·max(|log p|, 1), H the L-BFGS
 * inverse-Hessian estimate; in one dimension H is the secant slope, which
 * is Σ for a quadratic and close to it near a mode, so the distance in
 * posterior sds is below √(2.2e-9·max(|log p|, 1)).
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/codegen/compile.ts";
import { model } from "../../../src/dsl/model.ts";
import { choleskyArray, triSolveArrays } from "../../../src/numeric/dense.ts";
import { lbfgs } from "../../../src/inference/optimize/lbfgs.ts";
import { Rng } from "../../../src/random/rng.ts";

const GRAD_ONLY = { tolObj: 0, tolRelObj: 0, tolGrad: 1e-8, tolRelGrad: 0, tolParam: 0 } as const;
/** The relative-gradient test's bound on the distance to the mode in sds (see above). */
const relGradSds = (logp: number) => Math.sqrt(1e7 * Number.EPSILON * Math.max(Math.abs(logp), 1));

const rng = new Rng(11, 0);

describe("MAP by L-BFGS on compiled models", () => {
  it("conjugate normal: the posterior mean (m₀/s₀² + Σy/σ²) / (1/s₀² + n/σ²)", () => {
    const [m0, s0, sigma] = [1, 3, 2];
    const y = Array.from({ length: 20 }, () => 4 + sigma * rng.normal());
    const conj = model((m, d: { y: number[] }) => {
      const mu = m.sample("mu", m.normal(m0, s0));
      m.observe("y", m.normal(mu, sigma), d.y);
      return { mu };
    });
    const precision = 1 / s0 ** 2 + y.length / sigma ** 2;
    const exact = (m0 / s0 ** 2 + y.reduce((s, v) => s + v, 0) / sigma ** 2) / precision;
    for (const jacobian of [false, true]) {
      const density = compile(conj, { y }, { jacobian });
      const tight = lbfgs(density, Float64Array.of(-5), GRAD_ONLY);
      expect(Math.abs(tight.x[0] - exact)).toBeLessThan(1e-8 / precision);
      const r = lbfgs(density, Float64Array.of(-5));
      expect(r.converged).toBe(true);
      expect(Math.abs(r.x[0] - exact) * Math.sqrt(precision)).toBeLessThan(relGradSds(r.logp));
    }
  });

  it("ridge regression: (XᵀX + λI)⁻¹Xᵀy with λ = σ²/τ²", () => {
    const [n, k, sigma, tau] = [30, 5, 0.5, 2];
    const X = Array.from({ length: n }, () => Array.from({ length: k }, () => rng.normal()));
    const y = X.map((row) => row.reduce((s, v, j) => s + v * (j - 2), 0) + sigma * rng.normal());
    const ridge = model((m, d: { X: number[][]; y: number[] }) => {
      const beta = m.sample("beta", m.normal(0, tau), { shape: [k] });
      m.observe("y", m.normal(m.matmul(m.data("X", d.X), beta), sigma), d.y);
      return { beta };
    });
    // A = XᵀX + λI, the posterior precision times σ²; the mode solves A β = Xᵀy.
    const lambda = sigma ** 2 / tau ** 2;
    const a = Float64Array.from({ length: k * k }, (_, q) => {
      const [i, j] = [Math.floor(q / k), q % k];
      return X.reduce((s, row) => s + row[i] * row[j], 0) + (i === j ? lambda : 0);
    });
    const xty = Float64Array.from({ length: k }, (_, i) => X.reduce((s, row, r) => s + row[i] * y[r], 0));
    const l = choleskyArray(a, k);
    const exact = triSolveArrays(l, triSolveArrays(l, xty, k, 1, false), k, 1, true);
    // ‖Σ‖ = σ²‖A⁻¹‖ ≤ σ² trace(A⁻¹).
    const aInv = triSolveArrays(
      l,
      triSolveArrays(
        l,
        Float64Array.from({ length: k * k }, (_, q) => (q % (k + 1) === 0 ? 1 : 0)),
        k,
        k,
        false,
      ),
      k,
      k,
      true,
    );
    const covNorm = sigma ** 2 * aInv.reduce((s, v, q) => (q % (k + 1) === 0 ? s + v : s), 0);
    const density = compile(ridge, { X, y }, { jacobian: false });
    const tight = lbfgs(density, new Float64Array(k), GRAD_ONLY);
    expect(tight.converged).toBe(true);
    tight.x.forEach((v, i) => expect(Math.abs(v - exact[i])).toBeLessThan(covNorm * 1e-8));
    expect(lbfgs(density, new Float64Array(k)).converged).toBe(true);
  });

  /*
   * τ ~ Gamma(a, b) (shape, rate) and yᵢ ~ Normal(0, 1/√τ): the posterior of τ is
   * p(τ | y) ∝ τ^(a−1) e^(−bτ) · τ^(n/2) e^(−τS/2), S = Σyᵢ², a Gamma(a + n/2, b + S/2).
   * Without the Jacobian L-BFGS maximizes this density of τ (on u = log τ, but the
   * maximizer does not depend on the parameterization): τ̂ = (a − 1 + n/2) / (b + S/2).
   * With it, the density of u = log τ is p(e^u | y)·e^u ∝ τ^(a + n/2) e^(−τ(b + S/2)),
   * maximal at τ̂ = (a + n/2) / (b + S/2). With no data (n = 0, S = 0): (a − 1)/b and a/b.
   * Near the mode, log p in u has curvature −(b + S/2)τ̂ (both cases), so σ_u = 1/√((b + S/2)τ̂).
   */
  const [shape, rate] = [3, 2];
  const yPrec = [0.3, -1.2, 0.8, 2.1, -0.4, 0.05, 1.1];
  const withData = model((m, d: { y: number[] }) => {
    const tau = m.sample("tau", m.gamma(shape, rate));
    m.observe("y", m.normal(0, m.div(1, m.sqrt(tau))), d.y);
    return { tau };
  });
  const alone = model((m) => ({ tau: m.sample("tau", m.gamma(shape, rate)) }));
  const S = yPrec.reduce((s, v) => s + v * v, 0);
  const cases = [
    ["Gamma prior alone", () => compile(alone, undefined, { jacobian: false }), (shape - 1) / rate, rate],
    ["Gamma prior alone, with the Jacobian", () => compile(alone, undefined, { jacobian: true }), shape / rate, rate],
    [
      "precision posterior",
      () => compile(withData, { y: yPrec }, { jacobian: false }),
      (shape - 1 + yPrec.length / 2) / (rate + S / 2),
      rate + S / 2,
    ],
    [
      "precision posterior, with the Jacobian",
      () => compile(withData, { y: yPrec }, { jacobian: true }),
      (shape + yPrec.length / 2) / (rate + S / 2),
      rate + S / 2,
    ],
  ] as const;
  for (const [name, density, mode, postRate] of cases) {
    it(`${name}: τ̂ = ${mode.toPrecision(6)}`, () => {
      const d = density();
      const sdU = 1 / Math.sqrt(postRate * mode);
      const tight = lbfgs(d, Float64Array.of(1.5), GRAD_ONLY);
      // Not quadratic in u: the linear bound σ_u²·1e-8 with a factor 2 for the remainder.
      expect(Math.abs(tight.x[0] - Math.log(mode))).toBeLessThan(2 * sdU ** 2 * 1e-8);
      const r = lbfgs(d, Float64Array.of(1.5));
      expect(r.converged).toBe(true);
      expect(Math.abs(r.x[0] - Math.log(mode)) / sdU).toBeLessThan(relGradSds(r.logp));
    });
  }
});
