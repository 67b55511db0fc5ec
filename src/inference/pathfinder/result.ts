/**
 * What one Pathfinder path reports.
 * @module
 */
import type { EngineDraws } from "../engine.ts";

/** What one path found. */
export interface PathResult {
  /** The path's number, 1-based (its random stream). */
  readonly path: number;
  /** False when the path failed; its draws are then empty. */
  readonly ok: boolean;
  /** Why the path failed. */
  readonly reason?: string;
  /** The L-BFGS iteration whose approximation had the highest ELBO (1-based; −1 if none). */
  readonly bestIteration: number;
  /** That ELBO estimate (−∞ if none). */
  readonly elbo: number;
  /** L-BFGS iterations run. */
  readonly lbfgsIterations: number;
  /** Whether L-BFGS met a convergence test (else it stopped on an error or the iteration limit). */
  readonly lbfgsConverged: boolean;
  /** L-BFGS's own account of how it stopped. */
  readonly lbfgsMessage: string;
  /** The chosen normal's mean (NaN if the path failed). */
  readonly mean: Float64Array;
  /** The chosen normal's diagonal of the covariance (NaN if the path failed). */
  readonly variance: Float64Array;
  /** `drawsPerPath` draws from the chosen normal, columns `lp_approx__` and `lp__` (−∞ where the density failed). */
  readonly draws: EngineDraws;
  /** Density evaluations: initialization, L-BFGS, ELBO and final draws. */
  readonly gradientEvaluations: number;
  /** Points where the density failed and the path went on: L-BFGS's and the draws'. */
  readonly recovered: number;
}
