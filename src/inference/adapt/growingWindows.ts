/**
 * nutpie's warm-up schedule (nuts-rs `adapt_strategy.rs`, `GlobalStrategy::adapt`
 * with `EuclideanAdaptOptions::default`): the metric is estimated from the
 * first draw on and updated after every draw, from an estimator that a
 * background estimator replaces at each switch, so the metric always rests
 * on the recent draws. Switches come every 10 counted draws in the early
 * phase (the first 30 % of warm-up), then after windows of 80 draws growing
 * 1.5× per switch; no switch starts a window that would not end before the
 * final 15 % of warm-up, which adapts the step size only.
 * @module
 */

/** The schedule's settings; nutpie's in {@link DEFAULT_GROWING_WINDOWS}. */
export interface GrowingWindowSettings {
  /** Share of warm-up in the early phase (nuts-rs `early_window`). */
  readonly earlyShare: number;
  /** Share of warm-up at the end that adapts the step size only (`step_size_window`). */
  readonly finalShare: number;
  /** Window of the early phase, in counted draws (`early_mass_matrix_switch_freq`). */
  readonly earlyWindow: number;
  /** First window of the main phase (`mass_matrix_switch_freq`). */
  readonly firstWindow: number;
  /** Growth of the main phase's windows per switch (`mass_matrix_window_growth`). */
  readonly growth: number;
}

/** nuts-rs's defaults: 0.3, 0.15, 10, 80, 1.5. */
export const DEFAULT_GROWING_WINDOWS: GrowingWindowSettings = {
  earlyShare: 0.3,
  finalShare: 0.15,
  earlyWindow: 10,
  firstWindow: 80,
  growth: 1.5,
};

/** What warm-up iteration i does under the schedule. */
export interface WindowStep {
  /** Whether the iteration adapts the metric (false: the final, step-size-only stretch). */
  readonly metric: boolean;
  /** Whether the background estimator replaces the one in use. */
  readonly switch: boolean;
  /** The main phase's window size after this iteration. */
  readonly windowSize: number;
}

/** The schedule of a warm-up of `warmup` iterations. */
export interface GrowingWindows {
  /** The first iteration of the main phase (growing windows). */
  readonly earlyEnd: number;
  /** The first iteration of the final, step-size-only stretch. */
  readonly finalStart: number;
  /**
   * Iteration i (0-based), with `counted` draws in the background estimator
   * (this iteration's included) and main-phase window size `windowSize`.
   */
  step(i: number, counted: number, windowSize: number): WindowStep;
}

/** The schedule for `warmup` iterations. */
export function growingWindows(warmup: number, settings: GrowingWindowSettings = DEFAULT_GROWING_WINDOWS): GrowingWindows {
  const earlyEnd = Math.floor(settings.earlyShare * warmup);
  const finalStart = warmup - Math.floor(settings.finalShare * warmup);
  return {
    earlyEnd,
    finalStart,
    step(i, counted, windowSize) {
      if (i >= finalStart) return { metric: false, switch: false, windowSize };
      const early = i < earlyEnd;
      // Entering the main phase, the first window is at least as long as what the background already holds.
      let size = i === earlyEnd ? Math.max(windowSize, counted) : windowSize;
      const due = early ? settings.earlyWindow : size;
      const next = early ? settings.earlyWindow : Math.max(size + 1, Math.round(size * settings.growth));
      // A window that could not end before the final stretch is not started: the current estimator goes on growing.
      const switching = counted >= due && next + i <= finalStart;
      if (switching && !early) size = next;
      return { metric: true, switch: switching, windowSize: size };
    },
  };
}
