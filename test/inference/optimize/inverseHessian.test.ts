/**
 * The L-BFGS inverse-Hessian estimate (src/inference/optimize/inverseHessian.ts):
 * the secant equation, the history's length and the reset's scale.
 */
import { describe, expect, it } from "vitest";
import { addPair, inverseHessian, searchDirection } from "../../../src/inference/optimize/inverseHessian.ts";
import { Rng } from "../../../src/random/rng.ts";

const d = 4;
const rng = new Rng(7, 0);
/** A fixed SPD matrix B = AᵀA + I (row-major), the Hessian whose pairs we feed: y = B s. */
const B = (() => {
  const a = Array.from({ length: d * d }, () => rng.normal());
  return Float64Array.from({ length: d * d }, (_, k) => {
    const [i, j] = [Math.floor(k / d), k % d];
    let s = i === j ? 1 : 0;
    for (let q = 0; q < d; q++) s += a[q * d + i] * a[q * d + j];
    return s;
  });
})();
const times = (v: Float64Array) => Float64Array.from({ length: d }, (_, i) => v.reduce((s, vj, j) => s + B[i * d + j] * vj, 0));
const randomVector = () => Float64Array.from({ length: d }, () => rng.normal());
const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i], 0);

describe("inverseHessian", () => {
  it("satisfies the secant equation H y = s for the newest pair, and gives descent directions", () => {
    const h = inverseHessian(3);
    for (let k = 0; k < 6; k++) {
      const s = randomVector();
      const y = times(s);
      addPair(h, s, y, k === 0);
      expect(h.pairs.length).toBe(Math.min(k + 1, 3));
      // searchDirection returns −H g; with g = y it must return −s (to rounding, 1e-12 relative).
      const p = searchDirection(h, y);
      p.forEach((v, i) => expect(Math.abs(v + s[i])).toBeLessThan(1e-12 * Math.hypot(...s)));
      const g = randomVector();
      expect(dot(searchDirection(h, g), g)).toBeLessThan(0);
    }
  });

  it("returns yᵀy / sᵀy on a reset, clearing the history, and 1 otherwise", () => {
    const h = inverseHessian(5);
    const s = randomVector();
    const y = times(s);
    addPair(h, s, y, false);
    addPair(h, s, y, false);
    expect(addPair(h, s, y, false)).toBe(1);
    expect(addPair(h, s, y, true)).toBeCloseTo(dot(y, y) / dot(s, y), 14);
    expect(h.pairs.length).toBe(1);
    expect(h.gamma).toBeCloseTo(dot(s, y) / dot(y, y), 14);
  });
});
