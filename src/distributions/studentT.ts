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
 * m.observe("y", m.studentT(4, mu, sigma), data.y);
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
