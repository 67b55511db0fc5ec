/**
 * Nesterov dual averaging of the log step size towards a target acceptance
 * statistic (Hoffman & Gelman 2014, Algorithm 5), with Stan's defaults:
 * the step-size part of warm-up, as `init`, `update`, `final` over plain
 * state.
 * @module
 */

/** Settings of dual averaging; Stan's defaults in {@link DEFAULT_DUAL_AVERAGING}. */
export interface DualAveragingSettings {
  /** Target acceptance statistic (Stan's adapt_delta). */
  readonly delta: number;
  readonly gamma: number;
  readonly kappa: number;
  readonly t0: number;
}

/** Stan's defaults: δ 0.8, γ 0.05, κ 0.75, t₀ 10. */
export const DEFAULT_DUAL_AVERAGING: DualAveragingSettings = { delta: 0.8, gamma: 0.05, kappa: 0.75, t0: 10 };

/** The state of step-size adaptation; plain numbers, so it checkpoints as JSON. */
export interface DualAveragingState {
  counter: number;
  sBar: number;
  xBar: number;
  mu: number;
}

/** Starts (or, as Stan does after each metric window, restarts) around ε₀: shrinkage target μ = log(10 ε₀). */
export function dualAveragingInit(stepSize: number): DualAveragingState {
  return { counter: 0, sBar: 0, xBar: 0, mu: Math.log(10 * stepSize) };
}

/** Learns from a transition with acceptance statistic `acceptStat` (mutating `s`); returns the next step size. */
export function dualAveragingUpdate(
  s: DualAveragingState,
  acceptStat: number,
  settings: DualAveragingSettings = DEFAULT_DUAL_AVERAGING,
): number {
  const { delta, gamma, kappa, t0 } = settings;
  s.counter++;
  const a = acceptStat > 1 ? 1 : acceptStat;
  const eta = 1 / (s.counter + t0);
  s.sBar = (1 - eta) * s.sBar + eta * (delta - a);
  const x = s.mu - (s.sBar * Math.sqrt(s.counter)) / gamma;
  // t^(−κ) as exp(−κ log t), not `**`: engines' Math.pow differ in the last bit (V8 in Node 20 and in
  // Chromium 150 disagree on 1 in 10 arguments), exp and log do not, so a page samples Node's draws.
  const xEta = Math.exp(-kappa * Math.log(s.counter));
  s.xBar = (1 - xEta) * s.xBar + xEta * x;
  return Math.exp(x);
}

/** The step size to sample with once warm-up ends: exp of the averaged iterate. */
export function dualAveragingFinal(s: DualAveragingState): number {
  return Math.exp(s.xBar);
}
