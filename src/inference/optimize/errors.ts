/**
 * The error the optimizer and the Laplace approximation raise.
 * @module
 */

/**
 * Optimization or the Laplace approximation cannot start or cannot go on:
 * the initial point has a non-finite log density or gradient, an option is
 * invalid, or the Hessian at the mode is not negative definite. (A line
 * search that stalls is not an error: `lbfgs` returns the best point
 * with `converged: false`.)
 *
 * @example
 * ```ts
 * try {
 *   await laplace(eightSchools, data, { seed: 1 });
 * } catch (e) {
 *   if (e instanceof OptimizeError) console.log(e.message); // "laplace: no mode found: …" (τ → 0 has no bound)
 * }
 * ```
 */
export class OptimizeError extends Error {
  override readonly name = "OptimizeError";
}
