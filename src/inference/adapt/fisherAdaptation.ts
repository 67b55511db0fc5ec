/**
 * nutpie's warm-up (nuts-rs `GlobalStrategy` with its diagonal and low-rank
 * mass-matrix strategies) for one NUTS chain, as `init`, `update`,
 * `restart` over plain state:
 *
 * - the metric starts from the gradient at the initial point (σ² = 1/|g|)
 *   and is re-estimated after every warm-up draw from the moments of the
 *   draws and their gradients (fisher.ts), on the schedule of
 *   growingWindows.ts; draws that did not move (same log density as the
 *   draw before) are not counted, as nuts-rs leaves out draws at the start
 *   of their trajectory;
 * - the low-rank correction (metric "auto": eigenvalues outside [½, 2];
 *   "dense": all of them) is re-estimated at each switch of estimators, as
 *   soon as the estimator in use holds d + 2 draws (a d×d estimate needs
 *   more than d + 1), and at the last metric update, so that the final
 *   metric is one estimate; in between the diagonal moves on alone (nuts-rs
 *   re-estimates both after every draw: O(d³) each time);
 * - the step size follows one run of dual averaging through the whole
 *   warm-up, restarted only at the first estimated metric around Stan's
 *   step-size heuristic (nuts-rs re-runs its search there once); the final
 *   15 % adapt the step size alone and end with the averaged iterate.
 * @module
 */
import { diagMetric, type Metric } from "../hmc/metric.ts";
import { lowRankMetric } from "../hmc/lowRankMetric.ts";
import {
  DEFAULT_DUAL_AVERAGING,
  dualAveragingFinal,
  dualAveragingInit,
  type DualAveragingState,
  dualAveragingUpdate,
} from "./dualAveraging.ts";
import { fisherCorrection, fisherInvDiag, gradientInvDiag } from "./fisher.ts";
import { DEFAULT_GROWING_WINDOWS, growingWindows } from "./growingWindows.ts";
import { welfordInit, type WelfordState, welfordUpdate } from "./welford.ts";
import { float64Of } from "../../numeric/arrays.ts";

/**
 * Above this dimension "auto" keeps the diagonal: the correction needs d×d
 * moments (four of them in the checkpointed state: 40,000 numbers at 100)
 * and more than d + 1 draws per estimate, which warm-up's windows rarely hold.
 */
export const AUTO_MAX_DIM = 100;

/** Eigenvalues of the scaled Fisher estimate inside [1/c, c] are left to the diagonal (nuts-rs `eigval_cutoff`, 2). */
export const EIGENVALUE_CUTOFF = 2;

/** Settings of nutpie's warm-up. */
export interface FisherAdaptationSettings {
  readonly dim: number;
  /** Warm-up iterations. */
  readonly warmup: number;
  /** Target of dual averaging (Stan's adapt_delta). */
  readonly targetAccept: number;
  /** "diag": the diagonal alone; "dense": with every eigenpair; "auto": with those outside [½, 2], when dim ≤ {@link AUTO_MAX_DIM}. */
  readonly metric: "diag" | "dense" | "auto";
}

/** Streaming moments of the counted draws and of their gradients. */
export interface Moments {
  draws: WelfordState;
  grads: WelfordState;
}

/** The warm-up's state: plain numbers and arrays, so it checkpoints as JSON. */
export interface FisherAdaptationState {
  /** The step size in force. */
  stepSize: number;
  dualAveraging: DualAveragingState;
  /** The metric in force: inverse diagonal σ², and the correction's eigenvectors (rows of dim) and eigenvalues. */
  invDiag: number[];
  vectors: number[];
  values: number[];
  /** The estimator in use (draws since the switch before last) and the one that replaces it at the next switch. */
  current: Moments;
  next: Moments;
  /** The main phase's window, in counted draws. */
  windowSize: number;
  /** The log density of the last draw. */
  lastLp: number;
  /** Whether the step-size heuristic has run under an estimated metric. */
  searched: boolean;
}

/**
 * What a warm-up iteration ended with: "updatedMetric" (a new metric, the
 * step size goes on), "newMetric" (the first estimated metric: run the
 * step-size heuristic and {@link FisherAdaptation.restart}), "done" (the
 * final step size is set).
 */
export type FisherEvent = "continue" | "updatedMetric" | "newMetric" | "done";

/** A draw as warm-up sees it: position, gradient of log p there, and log p. */
export interface DrawPoint {
  readonly q: ArrayLike<number>;
  readonly g: ArrayLike<number>;
  readonly lp: number;
}

/** The parts of nutpie's warm-up, over plain state. */
export interface FisherAdaptation {
  /** The state at the initial point: its gradient sets the metric (or `invDiag` given, e.g. Pathfinder's); dual averaging around `stepSize`. */
  init(start: DrawPoint, stepSize: number, invDiag?: ArrayLike<number>): FisherAdaptationState;
  /** Learns from warm-up iteration `i` (0-based), which ended at `draw` with acceptance statistic `acceptStat`. */
  update(state: FisherAdaptationState, i: number, draw: DrawPoint, acceptStat: number): FisherEvent;
  /** After the first estimated metric: dual averaging starts over around the heuristic's step size. */
  restart(state: FisherAdaptationState, stepSize: number): void;
  /** The metric of `state`. */
  metric(state: FisherAdaptationState): Metric;
}

/**
 * nutpie's warm-up for `settings`. A chain calls `update` after each
 * warm-up transition and samples on with `metric(state)` when it says so.
 *
 * @example
 * ```ts
 * const fa = fisherAdaptation({ dim: 2, warmup: 100, targetAccept: 0.8, metric: "auto" });
 * const state = fa.init({ q: [0.5, -1], g: [-0.5, 1], lp: -0.6 }, 1);
 * fa.metric(state).inverse(); // [2, 1]: σ² = 1/|g| at the initial point
 * fa.update(state, 0, { q: [0.1, 0.3], g: [-0.1, -0.3], lp: -0.05 }, 0.9); // "continue": two draws, too few to estimate
 * ```
 */
export function fisherAdaptation(settings: FisherAdaptationSettings): FisherAdaptation {
  const { dim, warmup, metric } = settings;
  const cutoff = metric === "dense" ? 1 : metric === "auto" && dim <= AUTO_MAX_DIM ? EIGENVALUE_CUTOFF : undefined;
  const moments = (dense = cutoff !== undefined): Moments => ({ draws: welfordInit(dim, dense), grads: welfordInit(dim, dense) });
  const add = (m: Moments, draw: DrawPoint): void => {
    welfordUpdate(m.draws, draw.q);
    welfordUpdate(m.grads, draw.g);
  };
  const schedule = growingWindows(warmup);
  const dualAveraging = { ...DEFAULT_DUAL_AVERAGING, delta: settings.targetAccept };
  return {
    init(start, stepSize, invDiag) {
      const state: FisherAdaptationState = {
        stepSize,
        dualAveraging: dualAveragingInit(stepSize),
        invDiag: invDiag === undefined ? gradientInvDiag(start.g) : Array.from(invDiag),
        vectors: [],
        values: [],
        current: moments(),
        next: moments(),
        windowSize: DEFAULT_GROWING_WINDOWS.firstWindow,
        lastLp: start.lp,
        searched: false,
      };
      add(state.current, start);
      add(state.next, start);
      return state;
    },
    update(state, i, draw, acceptStat) {
      state.stepSize = dualAveragingUpdate(state.dualAveraging, acceptStat, dualAveraging);
      const event = i < schedule.finalStart ? updateMetric(state, i, draw) : "continue";
      if (i === warmup - 1) {
        state.stepSize = dualAveragingFinal(state.dualAveraging);
        // Nothing reads the moments any more: checkpoints after warm-up need not carry d×d of them.
        state.current = moments(false);
        state.next = moments(false);
        return "done";
      }
      return event;
    },
    restart(state, stepSize) {
      state.stepSize = stepSize;
      state.dualAveraging = dualAveragingInit(stepSize);
    },
    metric(state) {
      const invDiag = float64Of(state.invDiag);
      return state.values.length === 0 ? diagMetric(invDiag) : lowRankMetric(invDiag, float64Of(state.vectors), float64Of(state.values));
    },
  };

  function updateMetric(state: FisherAdaptationState, i: number, draw: DrawPoint): FisherEvent {
    const counted = draw.lp !== state.lastLp;
    state.lastLp = draw.lp;
    if (counted) {
      add(state.current, draw);
      add(state.next, draw);
    }
    const step = schedule.step(i, state.next.draws.n, state.windowSize);
    state.windowSize = step.windowSize;
    if (step.switch) {
      state.current = state.next;
      state.next = moments();
    }
    const { current } = state;
    if (current.draws.n < 3) return "continue";
    state.invDiag = fisherInvDiag(current.draws, current.grads, state.invDiag);
    const n = current.draws.n;
    const last = i === schedule.finalStart - 1;
    if (cutoff !== undefined && n >= dim + 2 && (step.switch || last || (counted && n === dim + 2))) {
      const correction = fisherCorrection(current.draws, current.grads, state.invDiag, cutoff);
      if (correction !== undefined) Object.assign(state, correction);
    }
    if (state.searched) return "updatedMetric";
    state.searched = true;
    return "newMetric";
  }
}
