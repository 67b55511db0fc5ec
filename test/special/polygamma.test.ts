/**
 * trigamma and tetragamma against closed forms, their recurrences and
 * reflections, and finite differences of stdlib's digamma.
 */
import { describe, expect, it } from "vitest";
import { digamma, lgamma, logSumExp, sigmoid, softplus, tetragamma, trigamma } from "../../src/special/index.ts";

const ZETA3 = 1.2020569031595942;
const PI2 = Math.PI * Math.PI;

/** Relative error, absolute near zero. */
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1);

describe("trigamma", () => {
  it.each([
    [1, PI2 / 6],
    [0.5, PI2 / 2],
    [2, PI2 / 6 - 1],
    [1.5, PI2 / 2 - 4],
    [0.25, PI2 + 8 * 0.915965594177219], // π² + 8G, G Catalan's constant
    [-0.5, PI2 / 2 + 4], // reflection: π²/sin²(−π/2) − ψ₁(1.5)
  ])("ψ₁(%d) matches its closed form", (x, want) => {
    expect(rel(trigamma(x), want)).toBeLessThan(4e-15);
  });

  it("satisfies ψ₁(x+1) = ψ₁(x) − 1/x² across scales", () => {
    // Scaled by the larger term: for small x the subtraction itself cancels.
    for (const x of [1e-3, 0.3, 1.7, 4.2, 9.5, 10, 13.3, 80, 1e4]) {
      expect(Math.abs(trigamma(x + 1) - (trigamma(x) - 1 / (x * x))) / trigamma(x)).toBeLessThan(1e-15);
    }
  });

  it("is the derivative of stdlib's digamma", () => {
    const h = 1e-5;
    for (const x of [0.2, 0.9, 3.3, 9.99, 10.01, 27, -0.3, -2.6]) {
      const fd = (digamma(x + h) - digamma(x - h)) / (2 * h);
      expect(rel(trigamma(x), fd)).toBeLessThan(1e-8);
    }
  });

  it("is 1/x + 1/(2x²) + … for large x, +∞ at poles, NaN at NaN", () => {
    expect(rel(trigamma(1e8), 1e-8 + 0.5e-16)).toBeLessThan(1e-15);
    expect(trigamma(0)).toBe(Infinity);
    expect(trigamma(-3)).toBe(Infinity);
    expect(trigamma(Infinity)).toBe(0);
    expect(trigamma(NaN)).toBeNaN();
  });
});

describe("tetragamma", () => {
  it.each([
    [1, -2 * ZETA3],
    [0.5, -14 * ZETA3],
    [2, -2 * ZETA3 + 2],
    [1.5, -14 * ZETA3 + 16],
  ])("ψ₂(%d) matches its closed form", (x, want) => {
    expect(rel(tetragamma(x), want)).toBeLessThan(4e-15);
  });

  it("satisfies ψ₂(x+1) = ψ₂(x) + 2/x³", () => {
    for (const x of [0.01, 0.3, 1.7, 9.5, 10, 13.3, 80]) {
      expect(Math.abs(tetragamma(x + 1) - (tetragamma(x) + 2 / (x * x * x))) / -tetragamma(x)).toBeLessThan(1e-15);
    }
  });

  it("is the derivative of trigamma, on both sides of 0", () => {
    const h = 1e-5;
    for (const x of [0.2, 0.9, 3.3, 9.99, 10.01, 27, -0.3, -2.6]) {
      const fd = (trigamma(x + h) - trigamma(x - h)) / (2 * h);
      expect(rel(tetragamma(x), fd)).toBeLessThan(1e-7);
    }
  });

  it("is NaN at poles", () => {
    expect(tetragamma(0)).toBeNaN();
    expect(tetragamma(-2)).toBeNaN();
  });
});

describe("the other special helpers", () => {
  it("lgamma(0.5) = log √π", () => {
    expect(rel(lgamma(0.5), 0.5 * Math.log(Math.PI))).toBeLessThan(1e-15);
  });

  it("softplus and sigmoid stay finite and accurate at large |x|", () => {
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-1000)).toBe(0);
    expect(rel(softplus(-40), Math.exp(-40))).toBeLessThan(1e-15);
    expect(rel(softplus(0), Math.LN2)).toBeLessThan(1e-16);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(1000)).toBe(1);
    expect(rel(sigmoid(-40), Math.exp(-40))).toBeLessThan(1e-15);
  });

  it("logSumExp handles infinities and empty input", () => {
    expect(rel(logSumExp([Math.log(1), Math.log(3)]), Math.log(4))).toBeLessThan(1e-16);
    expect(rel(logSumExp([1000, 1000]), 1000 + Math.LN2)).toBeLessThan(1e-16);
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
    expect(logSumExp([])).toBe(-Infinity);
    expect(logSumExp([0, Infinity])).toBe(Infinity);
    expect(logSumExp([-Infinity, 0])).toBe(0);
    expect(logSumExp([NaN, 0])).toBeNaN();
  });
});
