/**
 * N(μ, diag(σ²)) written by hand, as a log density and as the target a
 * lockstep run reports its draws through (x as is): the lockstep tests'
 * exact target.
 */
import type { LogDensity } from "../../src/codegen/density.ts";
import type { LockstepTarget } from "../../src/fit/lockstepDensity.ts";
import { choleskyArray, triSolveArrays } from "../../src/numeric/dense.ts";

/** N(μ, diag(σ²)) in μ and σ's dimension. */
export function gaussian(mu: readonly number[], sd: readonly number[]): LogDensity & LockstepTarget {
  const d = mu.length;
  return {
    dim: d,
    logp: (q) => mu.reduce((s, m, i) => s - 0.5 * ((q[i] - m) / sd[i]) ** 2, 0),
    logpGrad(q, g) {
      let s = 0;
      for (let i = 0; i < d; i++) {
        const z = (q[i] - mu[i]) / sd[i];
        s -= 0.5 * z * z;
        g[i] = -z / sd[i];
      }
      return s;
    },
    valueLayout: [{ name: "x", shape: [d], offset: 0, size: d, kind: "parameter" }],
    valueSize: d,
    constrain: (q, out = new Float64Array(d)) => {
      out.set(q);
      return out;
    },
  };
}

/** The d-dimensional standard normal. */
export function standardNormal(d: number): LogDensity & LockstepTarget {
  return gaussian(new Array<number>(d).fill(0), new Array<number>(d).fill(1));
}

/** N(m, Σ) with Σ given (row-major d×d), its precision Λ and Cholesky factor C (Σ = C Cᵀ). */
export interface Correlated extends LogDensity {
  readonly mean: readonly number[];
  readonly cov: Float64Array;
  readonly precision: Float64Array;
  readonly chol: Float64Array;
}

/** N(m, Σ) by hand: log p = −½ (x − m)ᵀ Λ (x − m), ∇ = −Λ (x − m). */
export function correlatedGaussian(mean: readonly number[], cov: readonly number[]): Correlated {
  const d = mean.length;
  const sigma = Float64Array.from(cov);
  const chol = choleskyArray(sigma, d);
  const identity = Float64Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? 1 : 0));
  // Λ = C⁻ᵀ C⁻¹.
  const precision = triSolveArrays(chol, triSolveArrays(chol, identity, d, d, false), d, d, true);
  const logpGrad = (x: Float64Array, g: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < d; i++) {
      let r = 0;
      for (let j = 0; j < d; j++) r -= precision[i * d + j] * (x[j] - mean[j]);
      g[i] = r;
      s += 0.5 * r * (x[i] - mean[i]);
    }
    return s;
  };
  return { dim: d, mean, cov: sigma, precision, chol, logpGrad, logp: (x) => logpGrad(x, new Float64Array(d)) };
}
