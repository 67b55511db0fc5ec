/**
 * Location-scale families on ℝ (normal, Cauchy, Laplace, logistic): the
 * declaration they share, so each family file says only what is its own —
 * its log density and a draw of its standard form.
 * @module
 */
import type { Family } from "../dsl/distribution.ts";
import type { MathAlg } from "../dsl/math.ts";
import type { Tensor } from "../dsl/tensor.ts";
import type { Rng } from "../random/rng.ts";
import { drawElementwise } from "./sampling.ts";
import { elementwiseShapes } from "./shapes.ts";

/**
 * The family `name` with parameters `loc` and `scale`, elementwise over
 * broadcast parameters, supported on ℝ; its prior draws are
 * loc + scale · `standard(rng)`.
 */
export function locationScaleFamily(
  name: string,
  logProb: (m: MathAlg, x: Tensor, loc: Tensor, scale: Tensor) => Tensor,
  standard: (rng: Rng) => number,
): Family<"loc" | "scale"> {
  return {
    name,
    params: ["loc", "scale"],
    domains: { loc: "real", scale: "positive" },
    discrete: false,
    locScale: { loc: "loc", scale: "scale" },
    shapes: elementwiseShapes(),
    support: () => ({ kind: "real" }),
    logProb: (m, x, p) => logProb(m, x, p.loc, p.scale),
    sample: (rng, p, batch) => drawElementwise(batch, [p.loc, p.scale], (loc, scale) => loc + scale * standard(rng)),
  };
}
