/**
 * ADVI's adaptive step-size sequence, as Stan's `advi.hpp` writes it: an
 * adagrad-like rule whose squared-gradient history is an exponential moving
 * average, ρ_t = η · t^(−½) / (τ + √s_t), with s₁ = g₁² and
 * s_t = α g_t² + (1 − α) s_{t−1}. (Kucukelbir et al. 2017 write t^(−½+ε);
 * Stan's code takes the plain square root, and so do we.)
 * @module
 */

/** Stan's α: the weight of the newest squared gradient. */
const ALPHA = 0.1;
/** Stan's τ: keeps the step bounded while the history is small. */
const TAU = 1;

/** The state of the sequence: the iteration and the squared-gradient history. */
export interface StepSizeState {
  /** Iterations taken (the next update is iteration `iter + 1`). */
  iter: number;
  /** s_t, one per variational parameter. */
  readonly history: Float64Array;
}

/** A fresh sequence for `size` parameters. */
export function stepSizeInit(size: number): StepSizeState {
  return { iter: 0, history: new Float64Array(size) };
}

/**
 * One stochastic gradient ascent step: updates the history with `grad` and
 * moves `params` by ρ_t ⊙ grad (both mutated).
 *
 * @example
 * ```ts
 * const s = stepSizeInit(1);
 * const p = Float64Array.of(0);
 * stepSizeUpdate(s, p, Float64Array.of(2), 1); // s₁ = 4, p += 1 · 2 / (1 + 2)
 * ```
 */
export function stepSizeUpdate(s: StepSizeState, params: Float64Array, grad: Float64Array, eta: number): void {
  s.iter++;
  const scaled = eta / Math.sqrt(s.iter);
  for (let k = 0; k < params.length; k++) {
    const g = grad[k];
    s.history[k] = s.iter === 1 ? g * g : (1 - ALPHA) * s.history[k] + ALPHA * g * g;
    params[k] += (scaled * g) / (TAU + Math.sqrt(s.history[k]));
  }
}
