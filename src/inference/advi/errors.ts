/**
 * The failure of an ADVI run, with the best approximation it found.
 * @module
 */
import type { AdviApproximation } from "./family.ts";

/**
 * ADVI could not go on: the ELBO diverged or became non-finite, no step
 * size of the eta search worked, or the density gave no usable draw. It
 * carries the approximation with the highest ELBO seen so far (the initial
 * one when nothing better was seen), to inspect or to start again from.
 */
export class AdviError extends Error {
  override readonly name = "AdviError";
  constructor(
    message: string,
    /** The approximation with the highest ELBO seen so far. */
    readonly best: AdviApproximation,
    /** Its ELBO (−∞ when no ELBO could be computed). */
    readonly bestElbo: number,
  ) {
    super(message);
  }
}
