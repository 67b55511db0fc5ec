/** Stan's relative-ELBO convergence bookkeeping: buffer, mean, median and notes. */
import { describe, expect, it } from "vitest";
import { ElboTrace, NOTES, notesOf } from "../../../src/inference/advi/convergence.ts";

describe("ElboTrace", () => {
  it("starts from an ELBO of 0 (first change 1) and keeps the last `capacity` changes", () => {
    const t = new ElboTrace(2);
    expect(t.record(100, -10)).toEqual({ iter: 100, elbo: -10, relMean: 1, relMedian: 1 });
    // |(−10 − (−8)) / −8| = 0.25; buffer (1, 0.25): mean 0.625, median the upper one, 1.
    expect(t.record(200, -8)).toEqual({ iter: 200, elbo: -8, relMean: 0.625, relMedian: 1 });
    // |(−8 − (−8)) / −8| = 0; 1 leaves: (0.25, 0).
    const r = t.record(300, -8);
    expect(r.relMean).toBeCloseTo(0.125, 15);
    expect(r.relMedian).toBe(0.25);
  });

  it("capacity is Stan's max(0.1 · maxIterations / evalElbo, 2), truncated", () => {
    expect(ElboTrace.capacityFor(10000, 100)).toBe(10);
    expect(ElboTrace.capacityFor(1000, 100)).toBe(2);
    expect(ElboTrace.capacityFor(5500, 100)).toBe(5);
  });
});

describe("notesOf", () => {
  const r = (iter: number, relMean: number, relMedian: number) => ({ iter, elbo: -1, relMean, relMedian });
  it("mean, median, and diverging only past 10 evaluations", () => {
    expect(notesOf(r(300, 0.005, 0.02), 0.01, 100)).toEqual([NOTES.mean]);
    expect(notesOf(r(300, 0.02, 0.005), 0.01, 100)).toEqual([NOTES.median]);
    expect(notesOf(r(1000, 0.6, 0.6), 0.01, 100)).toEqual([]);
    expect(notesOf(r(1100, 0.6, 0.1), 0.01, 100)).toEqual([NOTES.diverging]);
  });
});
