/**
 * The finite-difference Hessian (src/inference/optimize/hessian.ts) against
 * analytic Hessians: a correlated Gaussian (exact up to rounding) and two
 * non-quadratic densities (second-order error).
 */
import { describe, expect, it } from "vitest";
import type { LogDensity } from "../../../src/codegen/density.ts";
import { OptimizeError } from "../../../src/inference/optimize/errors.ts";
import { hessian } from "../../../src/inference/optimize/hessian.ts";
import { correlatedGaussian } from "../../helpers/gaussian.ts";
import { failingWhere, rosenbrock, rosenbrockHessian } from "./targets.ts";

/** max |a − b| / max |b|. */
function relError(a: Float64Array, b: Float64Array): number {
  const scale = Math.max(...b.map(Math.abs));
  return Math.max(...a.map((v, k) => Math.abs(v - b[k]))) / scale;
}

/** log p = Σ (xᵢ − e^xᵢ) + x₀x₁: Hessian diag(−e^xᵢ) plus 1 at (0, 1) and (1, 0). */
const expSum: LogDensity = {
  dim: 3,
  logp: (x) => x.reduce((s, v) => s + v - Math.exp(v), 0) + x[0] * x[1],
  logpGrad(x, g) {
    for (let i = 0; i < 3; i++) g[i] = 1 - Math.exp(x[i]);
    g[0] += x[1];
    g[1] += x[0];
    return this.logp(x);
  },
};

describe("hessian", () => {
  it("is exact up to rounding for a Gaussian: −Σ⁻¹", () => {
    const target = correlatedGaussian([1, -2, 30], [4, 1.2, -0.6, 1.2, 1, 0.3, -0.6, 0.3, 2]);
    const h = hessian(target, Float64Array.of(3, -1, 25));
    // The gradient is linear, so central differences have no truncation error; what is left is the
    // rounding of the gradient, ε‖∇‖/h ≈ 2.2e-16 · 10 / 6e-6 ≈ 4e-10 relative to the precision's entries,
    // which are O(1) here. 1e-8 leaves a factor 25.
    expect(
      relError(
        h,
        target.precision.map((v) => -v),
      ),
    ).toBeLessThan(1e-8);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(h[i * 3 + j]).toBe(h[j * 3 + i]);
  });

  it("matches Rosenbrock's analytic Hessian to second order", () => {
    // Truncation h²/6 · |∂³g| with h ≈ 6.1e-6·max(1, |x|) and ∂³g₀/∂x₀³ = −2400 is ≤ 1.5e-8·x² absolute;
    // rounding ε|g|/h ≤ 2e-8 for |g| ≤ 500; the Hessians' largest entries are ≥ 800, so 1e-9 relative
    // holds with a factor > 20 to spare.
    for (const x of [Float64Array.of(1, 1), Float64Array.of(-1.2, 1), Float64Array.of(0.3, -0.5)]) {
      expect(relError(hessian(rosenbrock, x), rosenbrockHessian(x))).toBeLessThan(1e-9);
    }
  });

  it("matches an exponential density's analytic Hessian, with steps relative to |x|", () => {
    // Truncation h²/6 · e^x (the third derivative of the gradient) relative to the entry e^x is
    // h²/6 ≈ 6e-12·max(1, x²); rounding ε·|g|/h relative to max|H| ≈ e^x is ≈ 4e-11. 1e-9 is a factor 25 above both.
    const x = Float64Array.of(-3, 0.5, 4);
    const exact = Float64Array.from({ length: 9 }, (_, k) => (k % 4 === 0 ? -Math.exp(x[k / 4]) : k === 1 || k === 3 ? 1 : 0));
    expect(relError(hessian(expSum, x), exact)).toBeLessThan(1e-9);
  });

  it("throws an OptimizeError naming the coordinate where the gradient fails", () => {
    const failing = failingWhere(rosenbrock, (x) => x[1] > 1, "gradient");
    expect(() => hessian(failing, Float64Array.of(0, 1))).toThrow(OptimizeError);
    expect(() => hessian(failing, Float64Array.of(0, 1))).toThrow(/x \+ h·e1 \(coordinate 1\)/);
    expect(() => hessian(rosenbrock, Float64Array.of(0))).toThrow(/1 values, the density has dimension 2/);
  });
});
