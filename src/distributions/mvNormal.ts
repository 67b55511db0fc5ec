/**
 * The multivariate normal distribution, parameterized by its covariance.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { drawMvNormal, mvNormalLogDensity, mvNormalShapes } from "./mvNormalCholesky.ts";
import { choleskyNumeric } from "./sampling.ts";
import type { Tensor } from "../dsl/tensor.ts";

/**
 * Multivariate normal with mean μ (`[..., K]`) and covariance Σ (`[K, K]`,
 * symmetric positive definite; Stan's multi_normal). The density factors Σ
 * with `m.cholesky` and whitens with `m.triSolve`.
 *
 * @example
 * ```ts
 * const center = model((m, data: { points: number[][] }) => {
 *   const mu = m.sample("mu", m.normal(0, 5), { shape: [2] });
 *   m.observe("xy", m.mvNormal(mu, [[1, 0.5], [0.5, 2]]), data.points);
 *   return { mu };
 * });
 * logDensity(center, { points: [[0.1, 1.2], [-0.4, 0.3]] }).logpConstrained({ mu: [0, 0.5] });
 * ```
 */
export const mvNormal: Family<"mu" | "cov"> = {
  name: "multi_normal",
  params: ["mu", "cov"],
  domains: { mu: "real", cov: "spd" },
  discrete: false,
  shapes: (p, fail) => mvNormalShapes(p.mu, p.cov, "cov", fail),
  support: () => ({ kind: "real" }),
  logProb: (m, x, p) => mvNormalLogDensity(m, x, p.mu, m.cholesky(p.cov as Tensor<2>)),
  sample: (rng, p, batch) => drawMvNormal(rng, p.mu, choleskyNumeric(p.cov.values, p.cov.shape[0], "multi_normal"), batch),
};
