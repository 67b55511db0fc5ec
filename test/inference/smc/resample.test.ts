/**
 * Systematic resampling: exact properties, no statistics needed.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/random/rng.ts";
import { systematic } from "../../../src/inference/smc/resample.ts";

describe("systematic resampling", () => {
  it("draws each particle ⌊N·w⌋ or ⌈N·w⌉ times, never one of weight 0", () => {
    // With one uniform and evenly spaced pointers, particle i is hit by every pointer in an interval of length N·wᵢ: ⌊N·wᵢ⌋ or ⌈N·wᵢ⌉ of them.
    const w = Float64Array.of(0.05, 0, 0.4, 0.123, 0, 0.227, 0.2, 0);
    const n = 37;
    const rng = new Rng(3, 1);
    for (let rep = 0; rep < 200; rep++) {
      const counts = new Array<number>(w.length).fill(0);
      for (const i of systematic(w, n, rng)) counts[i]++;
      for (const [i, c] of counts.entries()) {
        expect(c).toBeGreaterThanOrEqual(Math.floor(n * w[i] - 1e-9));
        expect(c).toBeLessThanOrEqual(Math.ceil(n * w[i] + 1e-9));
      }
    }
  });

  it("keeps to particles with weight when the weights sum a hair under 1 and end in zeros", () => {
    const w = Float64Array.of(0.5, 0.5 - 1e-15, 0, 0);
    const out = systematic(w, 1000, new Rng(1, 1));
    expect(Array.from(out).every((i) => i === 0 || i === 1)).toBe(true);
  });

  it("skips a leading zero weight", () => {
    expect(Array.from(systematic(Float64Array.of(0, 1), 5, new Rng(2, 1)))).toEqual([1, 1, 1, 1, 1]);
  });
});
