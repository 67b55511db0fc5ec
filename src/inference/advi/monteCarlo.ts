/**
 * ADVI's Monte-Carlo estimates (Stan's `calc_ELBO`, `calc_grad`,
 * `sample_log_g`), each one batched density call: the draws ζ = T(η) of an
 * estimate go to `logpGradBatch` together. A draw whose log p or gradient
 * is not finite (or whose evaluation threw) is dropped and the estimate
 * averages over the rest; every dropped draw is counted.
 * @module
 */
import type { BatchDensity } from "../../codegen/batch.ts";
import type { Rng } from "../../random/rng.ts";
import type { EngineDraws } from "../engine.ts";
import type { Family } from "./family.ts";

/** Stan's `n_retries`: a gradient estimate gives up after this many batches in a row without a usable draw. */
const RETRIES = 10;

/** Monte-Carlo estimates of the ELBO and its gradient for one density and family, with their counters. */
export class MonteCarlo {
  /** Draws dropped because their log density (or gradient) was not finite. */
  recovered = 0;
  /** Points evaluated by the density, each with its gradient. */
  gradientEvaluations = 0;
  private eta = new Float64Array(0);
  private points = new Float64Array(0);
  private logp = new Float64Array(0);
  private grad = new Float64Array(0);

  constructor(
    private readonly density: BatchDensity,
    private readonly family: Family,
    private readonly rng: Rng,
  ) {}

  /**
   * Writes the stochastic ELBO gradient from `n` draws into `out` (length
   * family.size); returns false when {@link RETRIES} batches in a row gave
   * no usable draw (`out` is then zero).
   */
  async gradient(params: Float64Array, n: number, out: Float64Array): Promise<boolean> {
    const { dim: d, family } = { dim: this.density.dim, family: this.family };
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      await this.evaluate(params, n);
      out.fill(0);
      let good = 0;
      for (let k = 0; k < n; k++) {
        const g = this.grad.subarray(k * d, (k + 1) * d);
        if (!Number.isFinite(this.logp[k]) || !g.every(Number.isFinite)) continue;
        family.accumulate(params, this.eta.subarray(k * d, (k + 1) * d), g, out);
        good++;
      }
      this.recovered += n - good;
      if (good > 0) {
        family.finish(params, out, good);
        return true;
      }
    }
    out.fill(0);
    return false;
  }

  /**
   * The ELBO from `n` draws: the mean log p over the usable draws plus the
   * entropy, with its Monte-Carlo standard error; NaN when no draw is usable.
   */
  async elbo(params: Float64Array, n: number): Promise<{ readonly elbo: number; readonly se: number }> {
    await this.evaluate(params, n);
    let sum = 0;
    let good = 0;
    for (let k = 0; k < n; k++) {
      if (!Number.isFinite(this.logp[k])) continue;
      sum += this.logp[k];
      good++;
    }
    this.recovered += n - good;
    if (good === 0) return { elbo: Number.NaN, se: Number.NaN };
    const mean = sum / good;
    let squares = 0;
    for (let k = 0; k < n; k++) if (Number.isFinite(this.logp[k])) squares += (this.logp[k] - mean) ** 2;
    const se = good > 1 ? Math.sqrt(squares / (good - 1) / good) : Number.POSITIVE_INFINITY;
    return { elbo: mean + this.family.entropy(params), se };
  }

  /**
   * `n` draws from the approximation with CmdStan's `log_p__` (log p at the
   * draw) and `log_g__` (−½‖η‖²: the approximation's log density with its
   * constant and log-determinant dropped, as Stan's `calc_log_g`). A draw
   * whose log p is not finite is kept (it is a draw of the approximation)
   * with log p as the density gave it, and counted.
   */
  async draws(params: Float64Array, n: number): Promise<EngineDraws> {
    const d = this.density.dim;
    await this.evaluate(params, n);
    const logG = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += this.eta[k * d + i] ** 2;
      logG[k] = -0.5 * s;
      if (!Number.isFinite(this.logp[k])) this.recovered++;
    }
    return {
      dim: d,
      n,
      points: this.points.slice(0, n * d),
      columns: { log_p__: this.logp.slice(0, n), log_g__: logG },
    };
  }

  /** Draws η (n × d standard normals, row by row), maps them to ζ and evaluates the density at all of them in one call. */
  private async evaluate(params: Float64Array, n: number): Promise<void> {
    const d = this.density.dim;
    if (this.logp.length < n) {
      this.eta = new Float64Array(n * d);
      this.points = new Float64Array(n * d);
      this.logp = new Float64Array(n);
      this.grad = new Float64Array(n * d);
    }
    for (let k = 0; k < n * d; k++) this.eta[k] = this.rng.normal();
    for (let k = 0; k < n; k++) {
      this.family.transform(params, this.eta.subarray(k * d, (k + 1) * d), this.points.subarray(k * d, (k + 1) * d));
    }
    await this.density.logpGradBatch(this.points, n, this.logp, this.grad);
    this.gradientEvaluations += n;
  }
}
