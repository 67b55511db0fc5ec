/**
 * The warm-up a NUTS chain drives, whichever it is: nutpie's
 * (fisherAdaptation.ts, the default) or Stan's (window.ts, fed one position
 * per iteration), behind one interface, with the warm-up's part of the
 * chain's checkpoint. Stan's state checkpoints as version 1 (the format
 * written before nutpie's warm-up existed, so old checkpoints resume as
 * before); nutpie's as version 2. A checkpoint resumes only under the
 * warm-up that wrote it.
 * @module
 */
import { SamplerError } from "../../errors.ts";
import { clonePlain } from "../../numeric/arrays.ts";
import type { Point } from "../hmc/point.ts";
import { type Metric, type MetricKind, metricOf } from "../hmc/metric.ts";
import { type FisherAdaptation, fisherAdaptation, type FisherAdaptationState, type FisherEvent } from "./fisherAdaptation.ts";
import { type WindowAdaptation, windowAdaptation, type WindowAdaptationState } from "./window.ts";

/** Which warm-up: nutpie's gradient-informed one, or Stan's windowed one. */
export type AdaptKind = "nutpie" | "stan";

/**
 * The metric asked for: "diag", "dense", or "auto" (nutpie's warm-up: the
 * diagonal with a low-rank correction where the warm-up finds strong
 * correlations; Stan's: the diagonal).
 */
export type MetricChoice = "diag" | "dense" | "auto";

/** Settings of a chain's warm-up. */
export interface ChainWarmupSettings {
  readonly dim: number;
  readonly warmup: number;
  readonly targetAccept: number;
  readonly metric: MetricChoice;
  readonly adapt: AdaptKind;
}

/** The warm-up's part of a chain checkpoint: Stan's state (version 1) or nutpie's (version 2); plain JSON. */
export type WarmupCheckpoint =
  (WindowAdaptationState & { readonly version: 1 }) | (FisherAdaptationState & { readonly version: 2; readonly adapt: "nutpie" });

/** A chain's warm-up over its own plain state. */
export interface ChainWarmup {
  /** The step size in force. */
  readonly stepSize: number;
  /** The metric in force (a new object, built from the state). */
  metric(): Metric;
  /**
   * Learns from warm-up iteration `i` (0-based), which left the chain at
   * `point` with acceptance statistic `acceptStat`: "updatedMetric" (use the
   * new metric), "newMetric" (use it, run the step-size heuristic and
   * {@link ChainWarmup.restart}), "done" (the final step size is set) or
   * "continue". Stan's warm-up never says "updatedMetric".
   */
  learn(i: number, point: Point, acceptStat: number): FisherEvent;
  /** Dual averaging starts over around `stepSize` (the heuristic's). */
  restart(stepSize: number): void;
  /** The state, for a checkpoint (a copy). */
  checkpoint(): WarmupCheckpoint;
}

/** Where a warm-up starts: at a point (its log density and gradient set), or from a checkpoint of chain `chain`. */
export type WarmupOrigin =
  | {
      readonly start: Point;
      /** The initial inverse metric's diagonal (e.g. Pathfinder's); otherwise Stan's starts from the unit metric, nutpie's from the gradient at `start`. */
      readonly initInvDiag?: Float64Array;
    }
  | { readonly resume: WarmupCheckpoint; readonly chain: number };

/**
 * The warm-up of a chain, started or resumed.
 *
 * @example
 * ```ts
 * import { evaluate, newPoint } from "../hmc/point.ts";
 * const point = newPoint(density.dim);
 * evaluate(density, point); // log p and its gradient at θ = 0
 * const warm = chainWarmup({ dim: density.dim, warmup: 1000, targetAccept: 0.8, metric: "auto", adapt: "nutpie" }, { start: point });
 * warm.metric().kind; // "diag": σ² = 1/|∇log p| at the start, until the draws say more
 * warm.learn(0, point, 0.9); // "continue": the chain did not move, the draw is not counted
 * const resumed = chainWarmup({ dim: density.dim, warmup: 1000, targetAccept: 0.8, metric: "auto", adapt: "nutpie" }, { resume: warm.checkpoint(), chain: 1 });
 * ```
 * @throws SamplerError when the checkpoint was written by the other warm-up.
 */
export function chainWarmup(settings: ChainWarmupSettings, origin: WarmupOrigin): ChainWarmup {
  const { dim, warmup, targetAccept, metric } = settings;
  if (settings.adapt === "nutpie") {
    const parts = fisherAdaptation({ dim, warmup, targetAccept, metric });
    if (!("resume" in origin)) return nutpieWarmup(parts, parts.init(origin.start, 1, origin.initInvDiag));
    const { version: _v, adapt: _a, ...state } = resumed(origin, 2);
    return nutpieWarmup(parts, state);
  }
  const kind: MetricKind = metric === "dense" ? "dense" : "diag";
  const parts = windowAdaptation({ dim, warmup, targetAccept, metric: kind });
  if ("resume" in origin) {
    const { version: _v, ...state } = resumed(origin, 1);
    return stanWarmup(parts, state, kind, dim);
  }
  const state = parts.init(1);
  if (origin.initInvDiag !== undefined) state.invMetric = initialInverse(origin.initInvDiag, kind);
  return stanWarmup(parts, state, kind, dim);
}

/** A copy of the checkpoint, checked to be of `version` (the warm-up resuming it). */
function resumed<V extends WarmupCheckpoint["version"]>(
  origin: { readonly resume: WarmupCheckpoint; readonly chain: number },
  version: V,
): Extract<WarmupCheckpoint, { version: V }> {
  const { resume, chain } = origin;
  if (resume.version !== version) {
    const wrote = resume.version === 1 ? "stan" : "nutpie";
    throw new SamplerError(
      chain,
      `the checkpoint holds the state of adapt "${wrote}" (version ${resume.version}): resume with adapt "${wrote}"`,
    );
  }
  return clonePlain(resume) as Extract<WarmupCheckpoint, { version: V }>;
}

/** nutpie's warm-up over `state`. */
function nutpieWarmup(parts: FisherAdaptation, state: FisherAdaptationState): ChainWarmup {
  return {
    get stepSize() {
      return state.stepSize;
    },
    metric: () => parts.metric(state),
    learn: (i, point, acceptStat) => parts.update(state, i, point, acceptStat),
    restart: (stepSize) => parts.restart(state, stepSize),
    checkpoint: () => ({ version: 2, adapt: "nutpie", ...clonePlain(state) }),
  };
}

/** Stan's warm-up over `state`, fed the chain's one position per iteration. */
function stanWarmup(parts: WindowAdaptation, state: WindowAdaptationState, kind: MetricKind, dim: number): ChainWarmup {
  return {
    get stepSize() {
      return state.stepSize;
    },
    metric: () => metricOf(kind, Float64Array.from(state.invMetric), dim),
    learn(i, point, acceptStat) {
      parts.updateStepSize(state, acceptStat);
      return parts.updateMetric(state, i, point.q, 1);
    },
    restart: (stepSize) => parts.restart(state, stepSize),
    checkpoint: () => ({ version: 1, ...clonePlain(state) }),
  };
}

/** The inverse metric from a diagonal: itself, or the dense matrix with it on the diagonal (row by row). */
function initialInverse(diag: Float64Array, kind: MetricKind): number[] {
  if (kind === "diag") return Array.from(diag);
  const d = diag.length;
  const m = new Array<number>(d * d).fill(0);
  for (let i = 0; i < d; i++) m[i * d + i] = diag[i];
  return m;
}
