/**
 * nutpie's schedule (adapt/growingWindows.ts), driven as fisherAdaptation.ts
 * drives it: the switch iterations of a 1,000-iteration warm-up worked out
 * by hand from nuts-rs's `GlobalStrategy::adapt`, the effect of draws that
 * are not counted, and the step-size-only final stretch.
 */
import { describe, expect, it } from "vitest";
import { growingWindows } from "../../../src/inference/adapt/growingWindows.ts";

/**
 * The iterations at which the estimators switch, when iteration i counts a
 * draw unless `skip(i)`; the background starts with one draw (the initial point).
 */
function switches(warmup: number, skip: (i: number) => boolean = () => false): { at: number[]; windows: number[] } {
  const schedule = growingWindows(warmup);
  let counted = 1;
  let size = 80;
  const at: number[] = [];
  const windows: number[] = [];
  for (let i = 0; i < warmup; i++) {
    if (!skip(i)) counted++;
    const step = schedule.step(i, counted, size);
    if (step.switch) {
      at.push(i);
      counted = 0;
      if (step.windowSize !== size) windows.push(step.windowSize);
    }
    size = step.windowSize;
  }
  return { at, windows };
}

describe("nutpie's growing windows", () => {
  it("1000 iterations: every 10 draws to 300, then windows of 80 and 120; the next, of 180, grows to the end", () => {
    // Early phase [0, 300): the background holds the initial point, so the first switch is at i = 8 (10 draws),
    // then every 10 iterations: 8, 18, …, 298. At i = 300 the main window is max(80, 2) = 80: switch at 378
    // (80 draws since 298; the window after it, 120, ends at 498 ≤ 850), switch at 498 (180 + 498 = 678 ≤ 850);
    // at 678 the window after, 270, would end at 948 > 850: no switch, the estimator keeps growing to 850.
    const { at, windows } = switches(1000);
    expect(at).toEqual([...Array.from({ length: 30 }, (_, k) => 8 + 10 * k), 378, 498]);
    expect(windows).toEqual([120, 180]);
  });

  it("the final 15 % adapt the step size only; before it every iteration adapts the metric", () => {
    const s = growingWindows(1000);
    expect(s.finalStart).toBe(850);
    expect(s.step(849, 0, 80).metric).toBe(true);
    expect(s.step(850, 1000, 80)).toEqual({ metric: false, switch: false, windowSize: 80 });
    expect(s.step(999, 1000, 80).metric).toBe(false);
  });

  it("draws not counted delay the switches: the windows count draws, not iterations", () => {
    // Every third iteration does not count: 10 counted draws take 15 iterations.
    const { at } = switches(1000, (i) => i % 3 === 2);
    expect(at[0]).toBe(12);
    expect(at[1] - at[0]).toBe(15);
  });

  it("entering the main phase, the first window is at least what the background already holds", () => {
    // 250 draws in the background at i = 300: the main window is max(80, 250) = 250, already full, so it switches
    // at once (the next window, max(251, 1.5 · 250) = 375, ends at 675 ≤ 850).
    const s = growingWindows(1000);
    expect(s.step(300, 250, 80)).toEqual({ metric: true, switch: true, windowSize: 375 });
  });

  it("short warm-ups: 100 iterations switch at 8, 18, 28 only; 20 never (its early phase ends at 6)", () => {
    // 100: early end 30, final start 85; after 28 the main window of 80 cannot fill before 85.
    // 20: early end 6, final start 17; 8 draws by i = 6, then a window of 80.
    expect(switches(20).at).toEqual([]);
    expect(switches(100).at).toEqual([8, 18, 28]);
    expect(growingWindows(0).finalStart).toBe(0);
  });
});
