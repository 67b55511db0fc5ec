/**
 * The warm-up phase of an iteration in words, from Stan's window schedule:
 * the initial buffer, the slow windows (metric estimation) and the terminal
 * buffer.
 * @module
 */
import { windowSchedule } from "../inference/adapt/windows.ts";

/** Phase names of a warm-up of `warmup` iterations, by 1-based iteration (index 0 unused). */
export function warmupPhases(warmup: number): (iter: number) => string {
  const schedule = windowSchedule(warmup);
  const windowOf = new Int32Array(warmup);
  let windows = 0;
  for (let i = 0; i < warmup; i++) {
    windowOf[i] = schedule.inWindow(i) ? windows + 1 : 0;
    if (schedule.endsWindow(i)) windows++;
  }
  const firstWindow = windowOf.findIndex((w) => w > 0);
  return (iter) => {
    const i = iter - 1;
    if (i >= warmup) return "sampling";
    if (windows === 0) return "step size only";
    if (windowOf[i] > 0) return `window ${windowOf[i]} of ${windows}`;
    return firstWindow >= 0 && i < firstWindow ? "initial buffer" : "terminal buffer";
  };
}
