/**
 * Element names (src/tensor/layout.ts) as Stan's summaries spell them —
 * `mu`, `theta[1]`, `L[1,2]`: 1-based, comma-separated without spaces —
 * in the order values are stored (row-major within a site, sites in layout
 * order), one name per element.
 */
import { describe, expect, it } from "vitest";
import { elementNames, indexSuffix, type ValueLayout } from "../../src/tensor/layout.ts";

describe("indexSuffix", () => {
  it("is empty for a scalar and 1-based for a vector", () => {
    expect(indexSuffix(0, [])).toBe("");
    expect(indexSuffix(0, [3])).toBe("[1]");
    expect(indexSuffix(2, [3])).toBe("[3]");
  });

  it("counts row-major in a matrix: the last index moves fastest", () => {
    expect([0, 1, 2, 3, 4, 5].map((j) => indexSuffix(j, [2, 3]))).toEqual(["[1,1]", "[1,2]", "[1,3]", "[2,1]", "[2,2]", "[2,3]"]);
  });

  it("counts row-major in three dimensions", () => {
    expect(indexSuffix(0, [2, 3, 4])).toBe("[1,1,1]");
    expect(indexSuffix(1, [2, 3, 4])).toBe("[1,1,2]");
    expect(indexSuffix(4, [2, 3, 4])).toBe("[1,2,1]");
    expect(indexSuffix(12, [2, 3, 4])).toBe("[2,1,1]");
    expect(indexSuffix(23, [2, 3, 4])).toBe("[2,3,4]");
  });
});

describe("elementNames", () => {
  const entry = (name: string, shape: number[], offset: number) =>
    ({ name, shape, offset, size: shape.reduce((a, d) => a * d, 1), kind: "parameter" }) as const;

  it("names every element of every site, in value order", () => {
    const layout: ValueLayout = [entry("mu", [], 0), entry("theta", [3], 1), entry("L", [2, 2], 4), entry("tau", [], 8)];
    expect(elementNames(layout)).toEqual(["mu", "theta[1]", "theta[2]", "theta[3]", "L[1,1]", "L[1,2]", "L[2,1]", "L[2,2]", "tau"]);
  });

  it("gives one name per stored value, and none for an empty site", () => {
    const layout: ValueLayout = [entry("a", [2, 3], 0), entry("empty", [0], 6), entry("b", [4], 6)];
    const names = elementNames(layout);
    expect(names).toHaveLength(layout.reduce((n, e) => n + e.size, 0));
    expect(names.filter((n) => n.startsWith("empty"))).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
  });

  it("keeps site names as given, brackets and all", () => {
    expect(elementNames([entry("x.y", [2], 0), entry("z[0]", [], 2)])).toEqual(["x.y[1]", "x.y[2]", "z[0]"]);
  });
});
