/**
 * Hand-written targets for the Pathfinder tests: a correlated Gaussian and
 * independent Student-t coordinates (heavy tails), with the densities that
 * fail at some points built from test/helpers/gaussian.ts.
 */
import type { LogDensity } from "../../../src/codegen/density.ts";
import { choleskyArray, triSolveArrays } from "../../../src/numeric/dense.ts";

/** N(μ, Σ) with Σ_ij = sd_i sd_j ρ^|i−j| (an AR(1) correlation), and its Σ. */
export function ar1Gaussian(mu: readonly number[], sd: readonly number[], rho: number): LogDensity & { readonly cov: Float64Array } {
  const d = mu.length;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j] = sd[i] * sd[j] * rho ** Math.abs(i - j);
  // Precision P = L⁻ᵀL⁻¹ from Σ = LLᵀ.
  const l = choleskyArray(cov, d);
  const eye = new Float64Array(d * d);
  for (let i = 0; i < d; i++) eye[i * d + i] = 1;
  const linv = triSolveArrays(l, eye, d, d, false);
  const precision = triSolveArrays(l, linv, d, d, true);
  const r = new Float64Array(d);
  const logpGrad = (x: Float64Array, g: Float64Array): number => {
    for (let i = 0; i < d; i++) r[i] = x[i] - mu[i];
    let s = 0;
    for (let i = 0; i < d; i++) {
      let pr = 0;
      for (let j = 0; j < d; j++) pr += precision[i * d + j] * r[j];
      g[i] = -pr;
      s -= 0.5 * r[i] * pr;
    }
    return s;
  };
  const scratch = new Float64Array(d);
  return { dim: d, cov, logpGrad, logp: (x) => logpGrad(x, scratch) };
}

/** d independent Student-t(ν) coordinates, location 0, scale 1 (unnormalized). */
export function studentT(d: number, nu: number): LogDensity {
  const logpGrad = (x: Float64Array, g: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < d; i++) {
      s -= 0.5 * (nu + 1) * Math.log1p((x[i] * x[i]) / nu);
      g[i] = (-(nu + 1) * x[i]) / (nu + x[i] * x[i]);
    }
    return s;
  };
  const scratch = new Float64Array(d);
  return { dim: d, logpGrad, logp: (x) => logpGrad(x, scratch) };
}

/** `base` with log p replaced by `bad` (NaN, −∞ or a throw) where `where(x)` holds. */
export function failingWhere(base: LogDensity, where: (x: Float64Array) => boolean, bad: number | "throw"): LogDensity {
  const fail = (): number => {
    if (bad === "throw") throw new Error("density failed on purpose");
    return bad;
  };
  return {
    dim: base.dim,
    logp: (x) => (where(x) ? fail() : base.logp(x)),
    logpGrad: (x, g) => (where(x) ? fail() : base.logpGrad(x, g)),
  };
}
