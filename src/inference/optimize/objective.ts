/**
 * The function L-BFGS minimizes, as Stan's optimizer sees the model:
 * f = −log p and ∇f = −∇ log p, with a failed evaluation (the density
 * threw, or f or ∇f is not finite) reported rather than thrown, and counted.
 * @module
 */
import type { LogDensity } from "../../codegen/density.ts";

/** −log p of a density, counting every evaluation and every failed one. */
export interface Objective {
  /** Dimension of x. */
  readonly dim: number;
  /** f(x) = −log p(x), writing ∇f into `g`; undefined when the density failed at x. */
  evaluate(x: Float64Array, g: Float64Array): number | undefined;
  /** Evaluations so far, failed ones included. */
  readonly evaluations: number;
  /** Evaluations that failed (the density threw, or f or ∇f was not finite). */
  readonly recovered: number;
}

/**
 * The objective of `density`; its count of evaluations starts at
 * `evaluations` (L-BFGS evaluates the initial point itself, and counts it).
 */
export function objective(density: LogDensity, evaluations = 0): Objective {
  let recovered = 0;
  return {
    dim: density.dim,
    evaluate(x, g) {
      evaluations++;
      let lp: number;
      try {
        lp = density.logpGrad(x, g);
      } catch {
        recovered++;
        return undefined;
      }
      if (!Number.isFinite(lp) || !g.every(Number.isFinite)) {
        recovered++;
        return undefined;
      }
      for (let i = 0; i < g.length; i++) g[i] = -g[i];
      return -lp;
    },
    get evaluations() {
      return evaluations;
    },
    get recovered() {
      return recovered;
    },
  };
}
