/**
 * Student's t distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import type { MathAlg } from "../dsl/math.ts";
import type { Tensor } from "../dsl/tensor.ts";
import type { Rng } from "../random/rng.ts";
import { drawElementwise, gammaSampler } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";
import { LOG_PI } from "./terms.ts";

/** log t_ν(x | loc, scale), shared with the half-t. */
export function studentTLogDensity(m: MathAlg, x: Tensor, nu: Tensor, loc: Tensor | number, scale: Tensor): Tensor {
  const z = m.div(m.sub(x, loc), scale);
  const halfNu1 = m.mul(0.5, m.add(nu, 1));
  const norm = m.sub(m.lgamma(halfNu1), m.lgamma(m.mul(0.5, nu)));
  const logScale = m.add(m.mul(0.5, m.add(m.log(nu), LOG_PI)), m.log(scale));
  return m.sub(m.sub(norm, logScale), m.mul(halfNu1, m.log1p(m.div(m.square(z), nu))));
}

/** A standard t_ν draw: z / √(χ²_ν / ν), with χ²_ν = Gamma(ν/2, rate ½). */
export function standardTSampler(rng: Rng): (nu: number) => number {
  const gamma = gammaSampler(rng);
  return (nu) => rng.normal() / Math.sqrt(gamma(0.5 * nu, 0.5) / nu);
}

/**
 * Student's t with ν degrees of freedom, location and scale.
 *
 * @example
 * ```ts
 * const robust = model((m, data: { y: number[] }) => {
 *   const mu = m.sample("mu", m.normal(0, 10));
 *   const sigma = m.sample("sigma", m.halfNormal(5));
 *   m.observe("y", m.studentT(4, mu, sigma), data.y);
 *   return { mu, sigma };
 * });
 * logDensity(robust, { y: [0.3, -0.8, 1.1, 25] }).logLikConstrained({ mu: 0, sigma: 1 }).y; // the outlier 25 costs ≈ −13.6, not ≈ −313 as under a normal
 * ```
 */
export const studentT: Family<"nu" | "loc" | "scale"> = {
  name: "student_t",
  params: ["nu", "loc", "scale"],
  domains: { nu: "positive", loc: "real", scale: "positive" },
  discrete: false,
  locScale: { loc: "loc", scale: "scale" },
  shapes: elementwiseShapes(),
  support: () => ({ kind: "real" }),
  logProb: (m, x, p) => studentTLogDensity(m, x, p.nu, p.loc, p.scale),
  sample: (rng, p, batch) => {
    const t = standardTSampler(rng);
    return drawElementwise(batch, [p.nu, p.loc, p.scale], (nu, loc, scale) => loc + scale * t(nu));
  },
};
