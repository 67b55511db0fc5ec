/**
 * Stan's windowed warm-up schedule: an initial fast buffer (step size
 * only), slow windows that double in length (metric estimation), a terminal
 * fast buffer; the last slow window stretches to the terminal buffer.
 * @module
 */

/** Stan's defaults: 75 / 25 / 50. */
export const DEFAULT_WINDOWS: WindowSizes = { initBuffer: 75, baseWindow: 25, termBuffer: 50 };

/** Lengths of the warm-up phases, in iterations. */
export interface WindowSizes {
  readonly initBuffer: number;
  readonly baseWindow: number;
  readonly termBuffer: number;
}

/** The schedule: at which warm-up iterations the metric is re-estimated. */
export interface WindowSchedule {
  /** Whether iteration `i` (0-based) adds its draw to the metric estimate. */
  inWindow(i: number): boolean;
  /** Whether iteration `i` ends a slow window (re-estimate the metric, restart step size). */
  endsWindow(i: number): boolean;
}

/**
 * The schedule for `warmup` iterations. Too short a warm-up for the
 * defaults gets Stan's fallback: 15 % initial buffer, 10 % terminal buffer,
 * one window in between; under 20 iterations the metric is not adapted.
 */
export function windowSchedule(warmup: number, sizes: WindowSizes = DEFAULT_WINDOWS): WindowSchedule {
  if (warmup < 20) return { inWindow: () => false, endsWindow: () => false };
  let { initBuffer, baseWindow, termBuffer } = sizes;
  if (initBuffer + baseWindow + termBuffer > warmup) {
    initBuffer = Math.floor(0.15 * warmup);
    termBuffer = Math.floor(0.1 * warmup);
    baseWindow = warmup - (initBuffer + termBuffer);
  }
  const lastSlow = warmup - termBuffer - 1;
  const ends = new Set<number>();
  let size = baseWindow;
  let end = initBuffer + size - 1;
  for (;;) {
    ends.add(end);
    if (end >= lastSlow) break;
    size *= 2;
    let next = end + size;
    // A window that would leave less than a full doubled window before the terminal buffer absorbs the rest.
    if (next !== lastSlow && next + 2 * size >= warmup - termBuffer) next = lastSlow;
    end = next;
  }
  return {
    inWindow: (i) => i >= initBuffer && i < warmup - termBuffer && i !== warmup,
    endsWindow: (i) => ends.has(i) && i !== warmup,
  };
}
