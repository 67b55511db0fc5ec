/**
 * Stan's `laplace` method (`stan/services/optimize/laplace_sample.hpp`):
 * draws from the normal approximation N(θ̂, (−H)⁻¹) at a mode θ̂ of log p,
 * H the Hessian of log p there by finite differences of the gradient.
 * @module
 */
import type { LogDensity } from "../../codegen/density.ts";
import { choleskyArray, triSolveArrays } from "../../numeric/dense.ts";
import { Rng } from "../../random/rng.ts";
import type { EngineDraws, EngineRunOptions } from "../engine.ts";
import { OptimizeError } from "./errors.ts";
import { hessian } from "./hessian.ts";

/** Options of {@link laplace}. */
export interface LaplaceOptions extends EngineRunOptions {
  /** Draws from the approximation (1000, Stan's). */
  readonly draws?: number;
  /** Seed: the draws come from `new Rng(seed, 1)`. */
  readonly seed: number;
}

/** The approximation and its draws, all on the unconstrained scale. */
export interface LaplaceResult {
  /** θ̂, as given. */
  readonly mode: Float64Array;
  /** H, the Hessian of log p at θ̂ (d×d, row-major). */
  readonly hessian: Float64Array;
  /** (−H)⁻¹, the approximation's covariance (d×d, row-major). */
  readonly covariance: Float64Array;
  /**
   * The draws, with CmdStan's columns: `log_p__`, log p at the draw (−∞
   * where the density threw or was not finite), and `log_q__`, the
   * approximation's unnormalized log density ½ (θ − θ̂)ᵀ H (θ − θ̂) = −½ zᵀz.
   */
  readonly draws: EngineDraws;
  /** Draws where log p threw or was not finite. */
  readonly recovered: number;
}

/**
 * Draws θ = θ̂ + L⁻ᵀz, z ~ N(0, I), where L Lᵀ = −H (so θ ~ N(θ̂, (−H)⁻¹)),
 * as Stan does. Per draw Stan writes `log_p__` (log p at θ) and `log_q__`,
 * ½ (θ − θ̂)ᵀ H (θ − θ̂): the normal's log density without its constant
 * −½ log det(2π(−H)⁻¹), which is −½ zᵀz exactly, and is written so here.
 * (Stan before 2.33 called these columns `log_p` and `log_q`; `log_g__` is
 * the `variational` method's name.) Whether log p includes the
 * log-Jacobian is the density's business. An {@link OptimizeError} when
 * −H is not positive definite (θ̂ is not a maximum) or the Hessian cannot
 * be computed. `onProgress` hears `{ phase: "laplace", iter, total: draws }`
 * per draw; an aborted `signal` throws its reason between draws.
 */
export function laplace(density: LogDensity, mode: Float64Array, opts: LaplaceOptions): LaplaceResult {
  const d = density.dim;
  const n = opts.draws ?? 1000;
  if (!Number.isInteger(n) || n < 1) throw new OptimizeError(`laplace: draws must be a positive integer, got ${n}`);
  if (mode.length !== d) throw new OptimizeError(`laplace: the mode has ${mode.length} values, the density has dimension ${d}`);
  opts.signal?.throwIfAborted();
  const h = hessian(density, mode);
  const chol = choleskyArray(
    h.map((v) => -v),
    d,
  );
  if (d > 0 && Number.isNaN(chol[0])) throw notMaximum(h, d);
  const identity = Float64Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? 1 : 0));
  // (−H)⁻¹ = L⁻ᵀ L⁻¹.
  const covariance = triSolveArrays(chol, triSolveArrays(chol, identity, d, d, false), d, d, true);

  const rng = new Rng(opts.seed, 1);
  const points = new Float64Array(n * d);
  const logP = new Float64Array(n);
  const logQ = new Float64Array(n);
  const z = new Float64Array(d);
  let recovered = 0;
  for (let m = 0; m < n; m++) {
    opts.signal?.throwIfAborted();
    let zz = 0;
    for (let i = 0; i < d; i++) {
      z[i] = rng.normal();
      zz += z[i] * z[i];
    }
    const theta = triSolveArrays(chol, z, d, 1, true);
    for (let i = 0; i < d; i++) theta[i] += mode[i];
    points.set(theta, m * d);
    logQ[m] = -0.5 * zz;
    logP[m] = logpAt(density, theta);
    if (logP[m] === -Infinity) recovered++;
    opts.onProgress?.({ phase: "laplace", iter: m + 1, total: n, metrics: {} });
  }
  return {
    mode: Float64Array.from(mode),
    hessian: h,
    covariance,
    draws: { dim: d, n, points, columns: { log_p__: logP, log_q__: logQ } },
    recovered,
  };
}

/** log p at θ, −∞ when the density throws or is not finite there. */
function logpAt(density: LogDensity, theta: Float64Array): number {
  try {
    const lp = density.logp(theta);
    return Number.isFinite(lp) ? lp : -Infinity;
  } catch {
    return -Infinity;
  }
}

/** The error for a Hessian that is not negative definite, naming the flattest coordinate when its curvature is not negative. */
function notMaximum(h: Float64Array, d: number): OptimizeError {
  let worst = 0;
  for (let i = 1; i < d; i++) if (h[i * d + i] > h[worst * d + worst]) worst = i;
  const curvature = h[worst * d + worst];
  const where =
    curvature >= 0
      ? `: log p is not concave along coordinate ${worst} (∂²log p/∂θ${worst}² = ${curvature})`
      : ": every coordinate curves down, but some combination of coordinates does not";
  return new OptimizeError(`laplace: the Hessian of log p at the mode is not negative definite, so the point is not a maximum${where}`);
}
