/**
 * The half Student's t distribution.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import { drawElementwise } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";
import { standardTSampler, studentTLogDensity } from "./studentT.ts";
import { LOG_2 } from "./terms.ts";

/**
 * |t_ν(0, scale)| on [0, ∞).
 *
 * @example
 * ```ts
 * const scale = model((m) => {
 *   const tau = m.sample("tau", m.halfStudentT(3, 2.5));
 *   return { tau };
 * });
 * priorSample(scale, undefined).draws.tau; // 1000 positive draws, median ≈ 2.5 · 0.765 ≈ 1.9
 * ```
 */
export const halfStudentT: Family<"nu" | "scale"> = {
  name: "half_student_t",
  params: ["nu", "scale"],
  domains: { nu: "positive", scale: "positive" },
  discrete: false,
  shapes: elementwiseShapes(),
  support: () => ({ kind: "positive" }),
  logProb: (m, x, p) => m.add(studentTLogDensity(m, x, p.nu, 0, p.scale), LOG_2),
  sample: (rng, p, batch) => {
    const t = standardTSampler(rng);
    return drawElementwise(batch, [p.nu, p.scale], (nu, scale) => Math.abs(scale * t(nu)));
  },
};
