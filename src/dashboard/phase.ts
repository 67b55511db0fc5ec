/**
 * The warm-up phase of an iteration in words, from the schedule of the
 * run's warm-up: Stan's (the initial buffer, the slow windows of metric
 * estimation, the terminal buffer) or nutpie's (early windows, growing
 * windows, step size only; its windows count draws, not iterations, so only
 * the phases are named).
 * @module
 */
import type { AdaptKind } from "../inference/adapt/chainWarmup.ts";
import { growingWindows } from "../inference/adapt/growingWindows.ts";
import { windowSchedule } from "../inference/adapt/windows.ts";

/** Phase names of a warm-up of `warmup` iterations under `adapt` (Stan's: runs from before nutpie's), by 1-based iteration. */
export function warmupPhases(warmup: number, adapt: AdaptKind = "stan"): (iter: number) => string {
  if (adapt === "nutpie") {
    const { earlyEnd, finalStart } = growingWindows(warmup);
    return (iter) => {
      const i = iter - 1;
      if (i >= warmup) return "sampling";
      return i < earlyEnd ? "early windows" : i < finalStart ? "growing windows" : "step size only";
    };
  }
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
