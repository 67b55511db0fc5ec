/**
 * The tempered density π_β(θ) ∝ prior(θ) · L(θ)^β of a cloud of particles,
 * served as one {@link BatchDensity} so that the lockstep HMC kernel moves
 * every particle with one batch call of each density per leapfrog step.
 * @module
 */
import type { BatchDensity } from "../../codegen/batch.ts";
import { isFiniteResult } from "../hmc/point.ts";

/**
 * log π_β = log prior + β · log L with log L = log posterior − log prior,
 * and its gradient, for up to `capacity` points per call. The last call's
 * prior and posterior results stay readable (`lpPrior`, `lpPost`,
 * `gPrior`, `gPost`) until the next call.
 *
 * @example
 * ```ts
 * import { priorOnly } from "../../handlers/priorOnly.ts";
 * const tempered = new Tempered(batchOf(compile(priorOnly(eightSchools), data)), batchOf(density), 2);
 * tempered.beta = 0.1;
 * const points = new Float64Array(2 * density.dim); // two points, both at θ = 0
 * const lp = new Float64Array(2);
 * const grad = new Float64Array(2 * density.dim);
 * await tempered.logpGradBatch(points, 2, lp, grad); // lp[i] = log prior + 0.1 · log L at point i
 * ```
 */
export class Tempered implements BatchDensity {
  readonly dim: number;
  /** The inverse temperature β ∈ [0, 1]. */
  beta = 0;
  /** Points evaluated so far (each by both densities, with gradients). */
  evaluations = 0;
  readonly lpPrior: Float64Array;
  readonly lpPost: Float64Array;
  readonly gPrior: Float64Array;
  readonly gPost: Float64Array;

  constructor(
    private readonly prior: BatchDensity,
    private readonly posterior: BatchDensity,
    capacity: number,
    /** Awaited before each call: the engine's turn of the event loop and abort check. */
    private readonly beforeCall: () => Promise<void> = async () => {},
  ) {
    if (prior.dim !== posterior.dim) throw new RangeError(`smc: the prior has dimension ${prior.dim}, the posterior ${posterior.dim}`);
    const d = (this.dim = prior.dim);
    this.lpPrior = new Float64Array(capacity);
    this.lpPost = new Float64Array(capacity);
    this.gPrior = new Float64Array(capacity * d);
    this.gPost = new Float64Array(capacity * d);
  }

  /** Evaluates prior and posterior at `n` points (both batch calls at once). */
  async evaluate(points: Float64Array, n: number): Promise<void> {
    await this.beforeCall();
    await Promise.all([
      this.prior.logpGradBatch(points, n, this.lpPrior, this.gPrior),
      this.posterior.logpGradBatch(points, n, this.lpPost, this.gPost),
    ]);
    this.evaluations += n;
  }

  /** Whether point i of the last call had a finite prior and posterior, with finite gradients. */
  ok(i: number): boolean {
    const d = this.dim;
    return isFiniteResult(this.lpPrior[i], this.gPrior, i * d, d) && isFiniteResult(this.lpPost[i], this.gPost, i * d, d);
  }

  /** log π_β and its gradient at point i of the last call into lp[at] and g[at·dim …]. */
  combine(i: number, lp: Float64Array, g: Float64Array, at: number): void {
    const { beta, dim: d } = this;
    lp[at] = this.lpPrior[i] + beta * (this.lpPost[i] - this.lpPrior[i]);
    for (let j = 0; j < d; j++) {
      const a = this.gPrior[i * d + j];
      g[at * d + j] = a + beta * (this.gPost[i * d + j] - a);
    }
  }

  async logpGradBatch(points: Float64Array, n: number, logp: Float64Array, grad: Float64Array): Promise<void> {
    await this.evaluate(points, n);
    for (let i = 0; i < n; i++) this.combine(i, logp, grad, i);
  }
}
