/**
 * Stan's windowed warm-up, written once for NUTS chains and lockstep
 * chains (BlackJAX's `window_adaptation`): a step-size part (dual
 * averaging, every warm-up iteration) and a metric part (a Welford
 * estimate over each slow window of the schedule, restarted per window).
 * NUTS chains feed it one chain's acceptance statistic and position;
 * lockstep chains the harmonic mean over chains and every chain's position.
 *
 * Per warm-up iteration i the driver calls {@link WindowAdaptation.updateStepSize},
 * then {@link WindowAdaptation.updateMetric}. When that says "newMetric" the
 * driver re-runs the step-size heuristic under the new metric and calls
 * {@link WindowAdaptation.restart}; after the last warm-up iteration ("done")
 * the step size is dual averaging's averaged iterate.
 * @module
 */
import { type MetricKind, unitInverse } from "../hmc/metric.ts";
import {
  DEFAULT_DUAL_AVERAGING,
  dualAveragingFinal,
  dualAveragingInit,
  type DualAveragingState,
  dualAveragingUpdate,
} from "./dualAveraging.ts";
import { welfordFinal, welfordInit, type WelfordState, welfordUpdate } from "./welford.ts";
import { windowSchedule } from "./windows.ts";

/** Settings of the window adaptation. */
export interface WindowAdaptationSettings {
  readonly dim: number;
  /** Warm-up iterations. */
  readonly warmup: number;
  /** Target of dual averaging (Stan's adapt_delta). */
  readonly targetAccept: number;
  readonly metric: MetricKind;
}

/** The warm-up's state: plain numbers and arrays, so it checkpoints as JSON. */
export interface WindowAdaptationState {
  /** The step size in force. */
  stepSize: number;
  /** The inverse metric in force: its diagonal, or the matrix by rows. */
  invMetric: number[];
  dualAveraging: DualAveragingState;
  welford: WelfordState;
}

/** What a warm-up iteration ended with. */
export type WarmupEvent = "continue" | "newMetric" | "done";

/** The parts of the window adaptation, over plain state. */
export interface WindowAdaptation {
  /** The state before warm-up: the unit metric, dual averaging started around `stepSize`. */
  init(stepSize: number): WindowAdaptationState;
  /** The step-size part of a warm-up iteration with acceptance statistic `acceptStat`. */
  updateStepSize(state: WindowAdaptationState, acceptStat: number): void;
  /**
   * The metric part of warm-up iteration `i` (0-based): the `n` positions in
   * `positions` (n rows of dim) join the window's estimate; a window's end
   * sets the new metric ("newMetric"); the last iteration sets the final
   * step size ("done").
   */
  updateMetric(state: WindowAdaptationState, i: number, positions: Float64Array, n: number): WarmupEvent;
  /** After a new metric: dual averaging starts over around the heuristic's step size. */
  restart(state: WindowAdaptationState, stepSize: number): void;
}

/** Stan's windowed adaptation for `settings`. */
export function windowAdaptation(settings: WindowAdaptationSettings): WindowAdaptation {
  const { dim, warmup, metric } = settings;
  const schedule = windowSchedule(warmup);
  const dualAveraging = { ...DEFAULT_DUAL_AVERAGING, delta: settings.targetAccept };
  return {
    init: (stepSize) => ({
      stepSize,
      invMetric: Array.from(unitInverse(dim, metric)),
      dualAveraging: dualAveragingInit(stepSize),
      welford: welfordInit(dim, metric === "dense"),
    }),
    updateStepSize(state, acceptStat) {
      state.stepSize = dualAveragingUpdate(state.dualAveraging, acceptStat, dualAveraging);
    },
    updateMetric(state, i, positions, n) {
      if (schedule.inWindow(i)) for (let c = 0; c < n; c++) welfordUpdate(state.welford, positions, c * dim);
      if (schedule.endsWindow(i)) {
        state.invMetric = Array.from(welfordFinal(state.welford));
        state.welford = welfordInit(dim, metric === "dense");
        return "newMetric";
      }
      if (i === warmup - 1) {
        state.stepSize = dualAveragingFinal(state.dualAveraging);
        return "done";
      }
      return "continue";
    },
    restart(state, stepSize) {
      state.stepSize = stepSize;
      state.dualAveraging = dualAveragingInit(stepSize);
    },
  };
}
