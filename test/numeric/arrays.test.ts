/** The copies of numeric/arrays.ts: same numbers, new arrays (of the other kind where asked), the source untouched. */
import { describe, expect, it } from "vitest";
import { clonePlain, float64Of, packNumbers, toNumbers, unpackNumbers } from "../../src/numeric/arrays.ts";

describe("copies between typed and plain arrays", () => {
  const values = [0, -0, 1.5, -1e308, 5e-324, Infinity, Number.NaN];

  it("toNumbers: a plain array of the same numbers (−0 and NaN kept)", () => {
    const src = Float64Array.from(values);
    const out = toNumbers(src);
    expect(Array.isArray(out)).toBe(true);
    expect(out).toEqual(values);
    expect(Object.is(out[1], -0)).toBe(true);
    out[0] = 7;
    expect(src[0]).toBe(0);
  });

  it("float64Of: a Float64Array of the same numbers, from a plain array or a typed one", () => {
    const out = float64Of(values);
    expect(out).toBeInstanceOf(Float64Array);
    expect(Array.from(out)).toEqual(values);
    expect(Object.is(out[1], -0)).toBe(true);
    const typed = Float32Array.of(0.5, 2);
    const copy = float64Of(typed);
    expect(Array.from(copy)).toEqual([0.5, 2]);
    copy[0] = 3;
    expect(typed[0]).toBe(0.5);
    expect(float64Of([])).toHaveLength(0);
  });

  // A warm-up state as checkpoints hold it: numbers, arrays of numbers (−0 and NaN among them), nested objects, empty arrays.
  const state = () => ({
    n: 3,
    name: "nutpie",
    searched: false,
    none: null,
    mean: [...values],
    vectors: [] as number[],
    rows: [
      [1, -0],
      [NaN, 2],
    ],
    moments: { draws: { n: 2, m2: [0.25, 5e-324] } },
  });
  const sameNumbers = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

  it("clonePlain: a deep copy, every number as it was; changing it leaves the source as it was", () => {
    const src = state();
    const copy = clonePlain(src);
    expect(copy).toEqual(src);
    expect(sameNumbers(copy.mean, src.mean)).toBe(true);
    expect(Object.is(copy.rows[0][1], -0)).toBe(true);
    copy.mean[0] = 7;
    copy.rows[1][1] = 7;
    copy.moments.draws.m2[0] = 7;
    expect(src).toEqual(state());
  });

  it("packNumbers: every array of numbers as a Float64Array; unpackNumbers gives the plain data back, through a structured clone too", () => {
    const src = state();
    const packed = packNumbers(src) as { mean: unknown; rows: unknown[]; vectors: unknown; moments: { draws: { m2: unknown } } };
    expect(packed.mean).toBeInstanceOf(Float64Array);
    expect(packed.rows[0]).toBeInstanceOf(Float64Array);
    expect(packed.vectors).toBeInstanceOf(Float64Array);
    expect(packed.moments.draws.m2).toBeInstanceOf(Float64Array);
    for (const back of [unpackNumbers(packed), unpackNumbers(structuredClone(packed))] as ReturnType<typeof state>[]) {
      expect(back).toEqual(src);
      expect(Array.isArray(back.mean) && Array.isArray(back.vectors) && Array.isArray(back.rows[0])).toBe(true);
      expect(sameNumbers(back.mean, src.mean) && Object.is(back.rows[0][1], -0)).toBe(true);
    }
    expect(src).toEqual(state());
  });

  it("keeps a key named __proto__ as data", () => {
    const src = JSON.parse('{"__proto__": [1, 2], "a": {"__proto__": 3}}') as Record<string, unknown>;
    for (const copy of [clonePlain(src), unpackNumbers(packNumbers(src))] as Record<string, unknown>[]) {
      expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(copy, "__proto__")?.value).toEqual([1, 2]);
      expect(Object.getOwnPropertyDescriptor(copy.a, "__proto__")?.value).toBe(3);
    }
  });
});
