/**
 * The next temperature: the bisection lands on the ESS level asked for.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/random/rng.ts";
import { essOfIncrement, nextBeta } from "../../../src/inference/smc/temperature.ts";

const logL = (n: number, scale: number): Float64Array => {
  const rng = new Rng(7, 1);
  return Float64Array.from({ length: n }, () => -scale * rng.normal() ** 2);
};

describe("next temperature", () => {
  it("Kish's ESS: n for equal weights, 1 for one dominant weight, −∞ entries weigh 0", () => {
    expect(essOfIncrement(new Float64Array(10), 3)).toBeCloseTo(10, 12);
    expect(essOfIncrement(Float64Array.of(0, -1e6, -1e6), 1)).toBeCloseTo(1, 12);
    expect(essOfIncrement(Float64Array.of(0, 0, -Infinity), 1)).toBeCloseTo(2, 12);
  });

  it("the chosen β' keeps an ESS of threshold × N (to the bisection's 2⁻⁶⁰)", () => {
    const l = logL(1000, 50);
    for (const [beta, tau] of [
      [0, 0.5],
      [0.3, 0.5],
      [0, 0.9],
    ]) {
      const next = nextBeta(l, beta, tau);
      expect(next.beta).toBeGreaterThan(beta);
      expect(next.beta).toBeLessThan(1);
      expect(next.ess / 1000).toBeCloseTo(tau, 6);
      expect(essOfIncrement(l, next.beta - beta)).toBeCloseTo(next.ess, 9);
    }
  });

  it("goes to 1 when the whole step keeps the ESS", () => {
    const next = nextBeta(logL(100, 1e-3), 0.2, 0.5);
    expect(next.beta).toBe(1);
    expect(next.ess).toBeGreaterThan(50);
  });

  it("measures the ESS against the particles with a finite log L", () => {
    const l = logL(1000, 50);
    l.fill(-Infinity, 0, 400);
    const next = nextBeta(l, 0, 0.5);
    expect(next.ess / 600).toBeCloseTo(0.5, 6);
  });
});
