/**
 * Nesterov dual averaging of the log step size towards a target acceptance
 * statistic (Hoffman & Gelman 2014, Algorithm 5), with Stan's defaults.
 * @module
 */

/** Settings of {@link DualAveraging}; Stan's defaults. */
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

/** Dual averaging of log ε. */
export class DualAveraging {
  state: DualAveragingState = { counter: 0, sBar: 0, xBar: 0, mu: Math.log(10) };

  constructor(readonly settings: DualAveragingSettings = DEFAULT_DUAL_AVERAGING) {}

  /** Starts over around ε₀: shrinkage target μ = log(10 ε₀), as Stan does after each window. */
  restart(stepSize: number): void {
    this.state = { counter: 0, sBar: 0, xBar: 0, mu: Math.log(10 * stepSize) };
  }

  /** The next step size after a transition with acceptance statistic `acceptStat`. */
  learn(acceptStat: number): number {
    const s = this.state;
    const { delta, gamma, kappa, t0 } = this.settings;
    s.counter++;
    const a = acceptStat > 1 ? 1 : acceptStat;
    const eta = 1 / (s.counter + t0);
    s.sBar = (1 - eta) * s.sBar + eta * (delta - a);
    const x = s.mu - (s.sBar * Math.sqrt(s.counter)) / gamma;
    const xEta = s.counter ** -kappa;
    s.xBar = (1 - xEta) * s.xBar + xEta * x;
    return Math.exp(x);
  }

  /** The step size to sample with once warm-up ends: exp of the averaged iterate. */
  final(): number {
    return Math.exp(this.state.xBar);
  }
}
