/** The loop copies of numeric/arrays.ts: same numbers, new arrays of the other kind, the source untouched. */
import { describe, expect, it } from "vitest";
import { float64Of, toNumbers } from "../../src/numeric/arrays.ts";

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
});
