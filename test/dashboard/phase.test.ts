/**
 * warmupPhases: the warm-up phase of an iteration in words. Expected phases
 * come from Stan's documented windowed adaptation (an initial buffer, slow
 * windows doubling from the base window with the last stretched to the
 * terminal buffer; 15 %/75 %/10 % when the defaults 75/25/50 do not fit;
 * no metric adaptation under 20 iterations), re-implemented here the way
 * Stan's windowed_adaptation.hpp steps its counter, and from the schedule of
 * src/inference/adapt/windows.ts that the sampler actually uses; under
 * nutpie's warm-up, its three phases (nuts-rs's 30 % / 55 % / 15 %).
 */
import { describe, expect, it } from "vitest";
import { warmupPhases } from "../../src/dashboard/phase.ts";
import { windowSchedule } from "../../src/inference/adapt/windows.ts";

/** Stan's schedule for `warmup` (defaults 75/25/50): per 0-based iteration, whether it is in a slow window and whether it ends one. */
function stanSchedule(warmup: number): { inWindow: boolean[]; ends: boolean[] } {
  const inWindow = new Array<boolean>(warmup).fill(false);
  const ends = new Array<boolean>(warmup).fill(false);
  if (warmup < 20) return { inWindow, ends };
  let [init, base, term] = [75, 25, 50];
  if (init + base + term > warmup) {
    init = Math.floor(0.15 * warmup);
    term = Math.floor(0.1 * warmup);
    base = warmup - (init + term);
  }
  let size = base;
  let next = init + size - 1;
  const last = warmup - term - 1;
  for (let counter = 0; counter < warmup; counter++) {
    inWindow[counter] = counter >= init && counter < warmup - term;
    if (counter === next) {
      ends[counter] = true;
      // compute_next_window
      if (next === last) continue;
      size *= 2;
      next = counter + size;
      if (next !== last && next + 2 * size >= warmup - term) next = last;
    }
  }
  return { inWindow, ends };
}

/** The phase names Stan's schedule implies, for 1-based iterations 1…warmup. */
function stanPhases(warmup: number): string[] {
  if (warmup < 20) return Array.from({ length: warmup }, () => "step size only");
  const { inWindow, ends } = stanSchedule(warmup);
  const total = ends.filter(Boolean).length;
  const names: string[] = [];
  let done = 0;
  let seenWindow = false;
  for (let i = 0; i < warmup; i++) {
    if (inWindow[i]) {
      seenWindow = true;
      names.push(`window ${done + 1} of ${total}`);
    } else names.push(seenWindow ? "terminal buffer" : "initial buffer");
    if (ends[i]) done++;
  }
  return names;
}

/** The phases for iterations 1…n. */
function phasesOf(warmup: number): string[] {
  const phase = warmupPhases(warmup);
  return Array.from({ length: warmup }, (_, i) => phase(i + 1));
}

/** Runs of equal names as [name, first, last] (1-based, inclusive). */
function runs(names: readonly string[]): [string, number, number][] {
  const out: [string, number, number][] = [];
  names.forEach((name, i) => {
    const last = out[out.length - 1];
    if (last !== undefined && last[0] === name) last[2] = i + 1;
    else out.push([name, i + 1, i + 1]);
  });
  return out;
}

describe("warmupPhases", () => {
  it("names Stan's default schedule for warmup 1000: windows ending at 100, 150, 250, 450, 950", () => {
    const phase = warmupPhases(1000);
    expect(runs(phasesOf(1000))).toEqual([
      ["initial buffer", 1, 75],
      ["window 1 of 5", 76, 100],
      ["window 2 of 5", 101, 150],
      ["window 3 of 5", 151, 250],
      ["window 4 of 5", 251, 450],
      ["window 5 of 5", 451, 950],
      ["terminal buffer", 951, 1000],
    ]);
    expect(phase(1001)).toBe("sampling");
    expect(phase(2000)).toBe("sampling");
  });

  it("uses Stan's 15%/75%/10% fallback for warmup 100: initial buffer 15, one window of 75, terminal buffer 10", () => {
    expect(runs(phasesOf(100))).toEqual([
      ["initial buffer", 1, 15],
      ["window 1 of 1", 16, 90],
      ["terminal buffer", 91, 100],
    ]);
    expect(warmupPhases(100)(101)).toBe("sampling");
  });

  it("adapts only the step size under 20 warm-up iterations", () => {
    expect(runs(phasesOf(19))).toEqual([["step size only", 1, 19]]);
    expect(warmupPhases(19)(20)).toBe("sampling");
    expect(warmupPhases(1)(1)).toBe("step size only");
    // 20 is enough: fallback 3 / 15 / 2.
    expect(runs(phasesOf(20))).toEqual([
      ["initial buffer", 1, 3],
      ["window 1 of 1", 4, 18],
      ["terminal buffer", 19, 20],
    ]);
  });

  it("names nutpie's phases: early windows to 30 %, growing windows to 85 %, then the step size only", () => {
    const phase = warmupPhases(1000, "nutpie");
    expect(runs(Array.from({ length: 1000 }, (_, i) => phase(i + 1)))).toEqual([
      ["early windows", 1, 300],
      ["growing windows", 301, 850],
      ["step size only", 851, 1000],
    ]);
    expect(phase(1001)).toBe("sampling");
    expect(warmupPhases(0, "nutpie")(1)).toBe("sampling");
  });

  it("says sampling for every iteration without warm-up", () => {
    expect(warmupPhases(0)(1)).toBe("sampling");
    expect(warmupPhases(0)(10)).toBe("sampling");
  });

  it("agrees with Stan's counter-stepping rule for every warm-up length up to 1200", () => {
    for (let warmup = 0; warmup <= 1200; warmup++) expect(phasesOf(warmup), `warmup ${warmup}`).toEqual(stanPhases(warmup));
  });

  it("agrees with the sampler's own schedule (windows.ts): windows and their ends", () => {
    for (const warmup of [20, 100, 149, 150, 151, 300, 1000, 1001, 5000]) {
      const schedule = windowSchedule(warmup);
      const stan = stanSchedule(warmup);
      const inWindow = Array.from({ length: warmup }, (_, i) => schedule.inWindow(i));
      const ends = Array.from({ length: warmup }, (_, i) => schedule.endsWindow(i));
      expect(inWindow, `warmup ${warmup}`).toEqual(stan.inWindow);
      expect(ends, `warmup ${warmup}`).toEqual(stan.ends);
      // Each window named by the phase ends where the schedule re-estimates the metric.
      const phase = warmupPhases(warmup);
      for (let i = 0; i + 1 < warmup; i++) if (schedule.endsWindow(i)) expect(phase(i + 2)).not.toBe(phase(i + 1));
    }
  });
});
