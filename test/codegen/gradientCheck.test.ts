/** The gradient check `sampo inspect` prints: names, values and which side is not finite. */
import { describe, expect, it } from "vitest";
import { compareDensity, describeDisagreements, thetaLabel, verdictOf } from "../../src/codegen/gradientCheck.ts";
import type { LayoutEntry } from "../../src/tensor/layout.ts";

const layout: LayoutEntry[] = [
  { name: "mu", shape: [], offset: 0, size: 1, transform: { type: "identity" } },
  { name: "p", shape: [2, 2], offset: 1, size: 4, transform: { type: "identity" } },
  { name: "w", shape: [3], offset: 5, size: 2, transform: { type: "simplex" } },
];

describe("gradient check", () => {
  it("names θ coordinates by element, and unconstrained coordinates by index", () => {
    expect([0, 1, 4, 5, 6].map((k) => thetaLabel(layout, k))).toEqual([
      "mu",
      "p[1,1]",
      "p[2,2]",
      "w[1] (unconstrained)",
      "w[2] (unconstrained)",
    ]);
  });

  it("says which side is not finite", () => {
    expect(verdictOf(NaN, 1, 1e-10, 1)).toBe("compiled non-finite");
    expect(verdictOf(1, Infinity, 1e-10, 1)).toBe("reference non-finite");
    expect(verdictOf(NaN, NaN, 1e-10, 1)).toBe("same non-finite");
    expect(verdictOf(NaN, -Infinity, 1e-10, 1)).toBe("both non-finite");
    expect(verdictOf(1 + 1e-12, 1, 1e-10, 1)).toBe("agree");
    expect(verdictOf(1.1, 1, 1e-10, 1)).toBe("differ");
  });

  it("prints one line per disagreeing component, by name, with both values", () => {
    const grad = [0, 1, 2, 3, 4, 5, 6];
    const got = compareDensity({ logp: -1, grad: [0, NaN, 2, 3, 4.5, 5, 6] }, { logp: -1, grad }, layout, 1e-10);
    expect(describeDisagreements(got)).toEqual([
      "∂/∂p[1,1]: compiled NaN, reference 1.00000 (compiled not finite)",
      "∂/∂p[2,2]: compiled 4.50000, reference 4.00000 (values differ)",
    ]);
  });
});
