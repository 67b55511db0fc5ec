/**
 * For the ADVI tests: the stationary spread that stochastic gradient ascent leaves around
 * an optimum (so that each test's tolerance is derived, not guessed).
 */
import { matmulArrays } from "../../../src/numeric/dense.ts";

/**
 * The stationary covariance of stochastic gradient ascent near an optimum,
 * Δ ← Δ − γ D (h Δ − ξ) with ξ of covariance `q` (the gradient's noise),
 * h the negative Hessian of the objective and D = diag(1 / (1 + √q_kk)):
 * Stan's step-size sequence once its squared-gradient history has settled
 * at the noise variance (the gradient's mean is 0 at the optimum). Solved by
 * iterating P ← (I − γDh) P (I − γDh)ᵀ + γ² D q D to its fixed point.
 */
export function sgaSpread(h: Float64Array, q: Float64Array, k: number, gamma: number): Float64Array {
  const dscale = Array.from({ length: k }, (_, i) => 1 / (1 + Math.sqrt(q[i * k + i])));
  const a = new Float64Array(k * k);
  const noise = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      a[i * k + j] = (i === j ? 1 : 0) - gamma * dscale[i] * h[i * k + j];
      noise[i * k + j] = gamma * gamma * dscale[i] * dscale[j] * q[i * k + j];
    }
  }
  const at = Float64Array.from({ length: k * k }, (_, x) => a[(x % k) * k + Math.floor(x / k)]);
  let p = noise;
  for (let it = 0; it < 100_000; it++) {
    const next = matmulArrays(matmulArrays(a, p, k, k, k), at, k, k, k).map((v, x) => v + noise[x]);
    const change = next.reduce((m, v, x) => Math.max(m, Math.abs(v - p[x])), 0);
    p = next;
    if (change <= 1e-12 * Math.max(...p.map(Math.abs))) break;
  }
  return p;
}

/**
 * The noise covariance of the reparameterization gradient at the optimum,
 * where ∇ log p(ζ) = B η (η standard normal): the mean's part B η has
 * covariance B Bᵀ; a scale entry (i, j) has the part (B η)_i η_j, whose
 * covariance with (k, l) is (B Bᵀ)_ik δ_jl + B_il B_kj (Isserlis). Divided
 * by the `n` draws of each estimate. `pairs` lists the scale entries.
 */
export function gradientNoise(b: Float64Array, d: number, pairs: readonly (readonly [number, number])[], n: number) {
  const bbt = matmulArrays(
    b,
    Float64Array.from({ length: d * d }, (_, x) => b[(x % d) * d + Math.floor(x / d)]),
    d,
    d,
    d,
  );
  const m = pairs.length;
  const scale = new Float64Array(m * m);
  for (const [r, [i, j]] of pairs.entries()) {
    for (const [c, [k, l]] of pairs.entries()) {
      scale[r * m + c] = ((j === l ? bbt[i * d + k] : 0) + b[i * d + l] * b[k * d + j]) / n;
    }
  }
  return { mean: bbt.map((v) => v / n), scale };
}
