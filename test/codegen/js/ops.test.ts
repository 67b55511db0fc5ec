/**
 * Every op, through the whole pipeline (IR → reverse-mode AD → JavaScript):
 * the compiled gradient against central finite differences of the compiled
 * log density, and log p and gradient against the reference interpreter
 * (forward-mode dual numbers, no shared AD code).
 *
 * Tolerances: compiled vs reference rtol 1e-10 (both exact up to rounding);
 * finite differences with h = 1e-6 have truncation error O(h²·f''') and
 * rounding error O(ε/h) ≈ 1e-10 relative, so rtol 1e-5 (documented slack
 * for the curvature of lgamma and friends near their poles).
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/codegen/compile.ts";
import { logDensity } from "../../../src/interpreters/logDensity.ts";
import { opCases } from "../../helpers/opCases.ts";
import { opModel } from "../../helpers/opModel.ts";
import { expectAgree, numericGradient, randomPoints } from "../../helpers/agree.ts";

describe("every op: compiled gradient = finite differences = reference", () => {
  for (const [name, dim, f] of opCases) {
    it(name, () => {
      const mdl = opModel(dim, f);
      const compiled = compile(mdl, undefined);
      const ref = logDensity(mdl, undefined);
      expect(compiled.dim).toBe(dim);
      for (const theta of randomPoints(dim, 5, 17)) {
        const grad = new Float64Array(dim);
        const logp = compiled.logpGrad(theta, grad);
        expect(compiled.logp(theta)).toBe(logp);
        expectAgree({ logp, grad }, ref.logpGrad(theta), 1e-10, `${name} vs reference`);
        const fd = numericGradient((t) => compiled.logp(t), theta);
        expectAgree({ logp, grad }, { logp, grad: fd }, 1e-5, `${name} vs finite differences`);
      }
    });
  }
});
