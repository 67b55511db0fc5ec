/**
 * Hand-written targets for the optimizer tests: an ill-conditioned
 * Gaussian, Rosenbrock's function, and a wrapper that makes a density fail
 * where it is told to.
 */
import type { LogDensity } from "../../../src/codegen/density.ts";
import { gaussian } from "../../helpers/gaussian.ts";

/** N(μ, diag(σ²)) in d = 10 with σ from 0.1 to 10 (condition number of the Hessian 1e4), μᵢ = i − 4.5. */
export const illConditioned = (() => {
  const sd = Array.from({ length: 10 }, (_, i) => 10 ** (i / 4.5 - 1));
  const mu = sd.map((_, i) => i - 4.5);
  return { density: gaussian(mu, sd), mu, sd };
})();

/** log p = −(100 (x₁ − x₀²)² + (1 − x₀)²): Rosenbrock's banana, maximal at (1, 1). */
export const rosenbrock: LogDensity = {
  dim: 2,
  logp: (x) => -(100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2),
  logpGrad(x, g) {
    const r = x[1] - x[0] ** 2;
    g[0] = 400 * x[0] * r + 2 * (1 - x[0]);
    g[1] = -200 * r;
    return -(100 * r * r + (1 - x[0]) ** 2);
  },
};

/** The analytic Hessian of Rosenbrock's log p at x (row-major 2×2). */
export function rosenbrockHessian(x: Float64Array): Float64Array {
  return Float64Array.of(-(1200 * x[0] ** 2 - 400 * x[1] + 2), 400 * x[0], 400 * x[0], -200);
}

/** How a failing density fails: NaN log p, an infinite gradient, or a throw. */
export type Failure = "nan" | "gradient" | "throw";

/** `density`, failing in the given way at every point where `bad(x)` holds. */
export function failingWhere(density: LogDensity, bad: (x: Float64Array) => boolean, how: Failure): LogDensity & { failures: number } {
  const out = {
    dim: density.dim,
    failures: 0,
    logp: (x: Float64Array) => out.logpGrad(x, new Float64Array(density.dim)),
    logpGrad(x: Float64Array, g: Float64Array) {
      const lp = density.logpGrad(x, g);
      if (!bad(x)) return lp;
      out.failures++;
      if (how === "throw") throw new Error("density failed here");
      if (how === "gradient") g[0] = Infinity;
      return how === "nan" ? NaN : lp;
    },
  };
  return out;
}
