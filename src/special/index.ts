/**
 * Every special function sampo evaluates, from one place: the numeric
 * interpreter and the JavaScript code generator both import from here, so
 * the oracle and the compiled code compute with the same routines.
 *
 * @example
 * ```ts
 * lgamma(0.5); // log √π
 * trigamma(1); // π²/6
 * ```
 * @module
 */
import digammaImpl from "@stdlib/math-base-special-digamma";
import erfImpl from "@stdlib/math-base-special-erf";
import gammalnImpl from "@stdlib/math-base-special-gammaln";

/** log |Γ(x)| (stdlib's gammaln); +∞ at the poles 0, −1, −2, …. */
export const lgamma: (x: number) => number = gammalnImpl;
/** The digamma function ψ(x) = d/dx log Γ(x) (stdlib); NaN at the poles. */
export const digamma: (x: number) => number = digammaImpl;
/** The error function erf(x) = 2/√π ∫₀ˣ e^−t² dt (stdlib). */
export const erf: (x: number) => number = erfImpl;

export { trigamma } from "./trigamma.ts";
export { tetragamma } from "./tetragamma.ts";
export { sigmoid, softplus } from "./logistic.ts";
export { logSumExp, logSumExpStrided } from "./logSumExp.ts";
