/** Stan's step-size sequence, step by step against hand-computed values. */
import { expect, it } from "vitest";
import { stepSizeInit, stepSizeUpdate } from "../../../src/inference/advi/stepSize.ts";

it("first step: s₁ = g², then s_t = 0.1 g² + 0.9 s_{t−1}, ρ_t = η t^(−½) / (1 + √s_t)", () => {
  const s = stepSizeInit(2);
  const p = Float64Array.of(0, 1);
  stepSizeUpdate(s, p, Float64Array.of(2, -1), 0.5);
  // s = (4, 1); p += 0.5 · g / (1 + √s) = (0.5 · 2 / 3, −0.5 / 2).
  expect(Array.from(s.history)).toEqual([4, 1]);
  expect(p[0]).toBeCloseTo(1 / 3, 15);
  expect(p[1]).toBeCloseTo(0.75, 15);
  stepSizeUpdate(s, p, Float64Array.of(1, 0), 0.5);
  // s = (0.9 · 4 + 0.1, 0.9); ρ = 0.5 / √2 / (1 + √3.7).
  expect(s.history[0]).toBeCloseTo(3.7, 15);
  expect(s.history[1]).toBeCloseTo(0.9, 15);
  expect(p[0]).toBeCloseTo(1 / 3 + 0.5 / Math.SQRT2 / (1 + Math.sqrt(3.7)), 15);
  expect(p[1]).toBeCloseTo(0.75, 15);
  expect(s.iter).toBe(2);
});
