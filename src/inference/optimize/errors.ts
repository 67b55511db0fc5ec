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
 */
export class OptimizeError extends Error {
  override readonly name = "OptimizeError";
}
