/**
 * What every engine other than the NUTS chains (optimization, Laplace,
 * ADVI, Pathfinder, SMC) hands back and reports while it works: draws on
 * the unconstrained scale with per-draw columns for its CSV file, and
 * progress events that the glue turns into `progress` messages.
 * @module
 */

/** Draws an engine produced, on the unconstrained scale. */
export interface EngineDraws {
  /** Dimension of each point. */
  readonly dim: number;
  /** Number of draws. */
  readonly n: number;
  /** The points, row-major (n × dim). */
  readonly points: Float64Array;
  /**
   * Per-draw columns (each of length n), named as CmdStan names them in
   * that method's CSV file: `lp__` (optimize), `log_p__` and `log_q__`
   * (laplace), `log_p__` and `log_g__` (variational), `lp_approx__` and
   * `lp__` (pathfinder), `lp__`, `log_lik__` and `run__` (smc).
   */
  readonly columns: Readonly<Record<string, Float64Array>>;
}

/** One step of an engine's progress, for progress bars and the dashboard. */
export interface EngineProgress {
  /** What the engine is doing, e.g. "optimize", "eta", "elbo", "path 2", "tempering". */
  readonly phase: string;
  /** Iterations done in this phase. */
  readonly iter: number;
  /** Iterations the phase will take at most, when known. */
  readonly total?: number;
  /** The figures worth showing now, e.g. `{ elbo: -12.3 }`, `{ beta: 0.02, ess: 512 }`, `{ khat: 0.4 }`. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** Options every engine accepts besides its own. */
export interface EngineRunOptions {
  /** Called as the engine works; it must not throw. */
  readonly onProgress?: (p: EngineProgress) => void;
  /** Aborting stops the engine at its next step: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}
