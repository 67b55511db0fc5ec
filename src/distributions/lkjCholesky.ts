/**
 * The LKJ distribution over Cholesky factors of correlation matrices.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { sizeOf } from "../tensor/shape.ts";
import type { Tensor } from "../dsl/tensor.ts";
import { betaSampler, expand } from "./sampling.ts";
import { eventColumns, LOG_PI } from "./terms.ts";

const families = new Map<number, Family<"eta">>();

/**
 * LKJ(η) over lower Cholesky factors L of K×K correlation matrices (Stan's
 * lkj_corr_cholesky), event shape `[K, K]`:
 * log p(L) = c(η, K) + Σᵢ₌₂..K (K − i + 2η − 2) log Lᵢᵢ, where
 * c(η, K) = −K(K−1)/4 · log π + (K−1) log Γ(η + (K−1)/2) − Σₖ₌₁..K−1 log Γ(η + (K−1−k)/2)
 * is Lewandowski, Kurowicka and Joe's (2009) normalizing constant (the
 * general form of Stan's do_lkj_constant). η = 1 is uniform over
 * correlation matrices; larger η concentrates on the identity. One family
 * per dimension, cached.
 *
 * @example
 * ```ts
 * const correlations = model((m) => {
 *   const lOmega = m.sample("L_Omega", m.lkjCholesky(3, 2));
 *   return { lOmega };
 * });
 * priorSample(correlations, undefined).draws.lOmega[0]; // a 3×3 lower-triangular factor, rows of length 1
 * ```
 */
export function lkjCholeskyFamily(dim: number): Family<"eta"> {
  const cached = families.get(dim);
  if (cached !== undefined) return cached;
  const k = dim;
  // Coefficients K − i of log Lᵢᵢ for i = 2 … K (the η-free part).
  const fixed = Array.from({ length: Math.max(k - 1, 0) }, (_, j) => k - (j + 2));
  const diagonal = Array.from({ length: Math.max(k - 1, 0) }, (_, j) => (j + 1) * (k + 1));
  const offsets = Array.from({ length: Math.max(k - 1, 0) }, (_, j) => (k - 2 - j) / 2);
  const family: Family<"eta"> = {
    name: "lkj_corr_cholesky",
    params: ["eta"],
    domains: { eta: "positive" },
    discrete: false,
    shapes: (p, fail) => {
      if (!Number.isInteger(k) || k < 1) fail(`the dimension must be a positive integer, got ${k}`);
      return { batch: p.eta, event: [k, k] };
    },
    support: () => ({ kind: "choleskyCorr" }),
    logProb: (m, x, p) => {
      const { cols, batch } = eventColumns(m, x, 2);
      if (k === 1) return m.fill(0, batch);
      const eta = p.eta;
      const logDiag = m.log(m.gather(cols, diagonal)); // [K−1, n]
      const n = sizeOf(batch);
      const etaCols = m.reshape(m.broadcastTo(eta, batch), [n]);
      const kernel = m.add(m.matmul(fixed, logDiag), m.mul(m.sub(m.mul(2, etaCols), 2), m.sum(logDiag, 0)));
      const etaShape = m.shapeOf(eta);
      const shifted = m.add(m.reshape(eta, [...etaShape, 1]), offsets); // η + (K−1−k)/2, k = 1 … K−1
      const norm = m.add(
        m.sub(m.mul(k - 1, m.lgamma(m.add(eta, (k - 1) / 2))), m.sum(m.lgamma(shifted), etaShape.length)),
        (-k * (k - 1) * LOG_PI) / 4,
      );
      return m.add(m.reshape(kernel, batch) as Tensor, norm);
    },
    // The onion method (Lewandowski et al. 2009, §3.2): row i of L is
    // √y·u with u uniform on the sphere Sⁱ⁻¹ and y ~ Beta(i/2, η + (K−2)/2 − (i−1)/2),
    // and Lᵢᵢ = √(1 − y).
    sample: (rng, p, batch) => {
      const eta = expand(p.eta, batch);
      const beta = betaSampler(rng);
      const out = new Float64Array(sizeOf(batch) * k * k);
      const z = new Float64Array(k);
      for (let b = 0; b < eta.length; b++) {
        const base = b * k * k;
        out[base] = 1;
        for (let i = 1; i < k; i++) {
          const y = beta(i / 2, eta[b] + (k - 2) / 2 - (i - 1) / 2);
          let norm = 0;
          for (let j = 0; j < i; j++) {
            z[j] = rng.normal();
            norm += z[j] * z[j];
          }
          const radius = Math.sqrt(y / norm);
          for (let j = 0; j < i; j++) out[base + i * k + j] = radius * z[j];
          out[base + i * k + i] = Math.sqrt(1 - y);
        }
      }
      return out;
    },
  };
  families.set(dim, family);
  return family;
}
