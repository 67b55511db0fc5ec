/**
 * The check a sampler's entry point makes before it starts: a model with no
 * parameters (every site observed or deterministic) leaves NUTS and ADVI
 * nothing to move, and without it they failed late and misleadingly (NUTS's
 * step-size search "grows without bound", ADVI's step sizes "all failed").
 * @module
 */
import { ModelError } from "../errors.ts";

/**
 * Throws a {@link ModelError} (kind "parameter") naming `method` when the
 * compiled model has no parameters.
 *
 * @example
 * ```ts
 * requireParameters({ dim: 2 }, "NUTS"); // fine
 * try {
 *   requireParameters({ dim: 0 }, "NUTS");
 * } catch (e) {
 *   console.log((e as Error).message); // "the model has no parameters (every site is observed or deterministic), so NUTS has nothing to sample; …"
 * }
 * ```
 */
export function requireParameters(density: { readonly dim: number }, method: string): void {
  if (density.dim > 0) return;
  throw new ModelError(
    "parameter",
    undefined,
    `the model has no parameters (every site is observed or deterministic), so ${method} has nothing to sample; priorSample() draws what such a model reports`,
  );
}
