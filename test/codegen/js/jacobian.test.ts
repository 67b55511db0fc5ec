/**
 * `compile(…, { jacobian: false })`: the density without the transforms'
 * log-Jacobian, what MAP on the constrained scale maximizes (Stan's
 * `jacobian=0`). For σ ~ Exponential(1) with σ = exp(z) the two densities
 * differ by exactly log |dσ/dz| = z, and the gradients by 1.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/codegen/compile.ts";
import { model } from "../../../src/dsl/model.ts";
import { modelHash } from "../../../src/codegen/hash.ts";

const m = model((m, _d: Record<string, never>) => ({ sigma: m.sample("sigma", m.exponential(1)), mu: m.sample("mu", m.normal(0, 1)) }));

describe("compile without the Jacobian", () => {
  const withJ = compile(m, {});
  const without = compile(m, {}, { jacobian: false });
  it("drops log |det J| and its gradient, nothing else", () => {
    for (const z of [-1.5, 0, 0.7]) {
      const theta = Float64Array.of(z, 0.3);
      const g1 = new Float64Array(2);
      const g0 = new Float64Array(2);
      const lp1 = withJ.logpGrad(theta, g1);
      const lp0 = without.logpGrad(theta, g0);
      // log Exponential(σ | 1) = −σ; the Jacobian of σ = exp z adds z.
      expect(lp0).toBeCloseTo(-Math.exp(z) - 0.5 * 0.3 ** 2 - 0.5 * Math.log(2 * Math.PI), 12);
      expect(lp1 - lp0).toBeCloseTo(z, 12);
      expect(g1[0] - g0[0]).toBeCloseTo(1, 12);
      expect(g1[1]).toBe(g0[1]);
    }
  });
  it("is another density, with another model hash", () => {
    expect(modelHash(without.toPlain())).not.toBe(modelHash(withJ.toPlain()));
  });
});
