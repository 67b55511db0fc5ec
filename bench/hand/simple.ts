/**
 * Hand-written log density + gradient of `simple`:
 * mu ~ N(0, 10); sigma ~ Exponential(1); y[i] ~ N(mu, sigma).
 * θ = (mu, log sigma); log-Jacobian log sigma.
 * @module
 */
import { at, field, HALF_LOG_2PI, type HandFactory } from "./common.ts";

/**
 * Builds the baseline from the data (`y`) and the θ offsets.
 *
 * @example
 * ```ts
 * const f = simple({ y: [0.1, -0.3] }, { mu: 0, sigma: 1 });
 * const lp = f(new Float64Array(2), new Float64Array(2));
 * ```
 */
export const simple: HandFactory = (data, off) => {
  const y = field(data, "y");
  const n = y.length;
  const iMu = at(off, "mu");
  const iSigma = at(off, "sigma");
  // N(mu | 0, 10) and Exponential(1) constants, and n normal constants.
  const c = -Math.log(10) - HALF_LOG_2PI + Math.log(1) - n * HALF_LOG_2PI;
  return (theta, grad) => {
    const mu = theta[iMu];
    const z = theta[iSigma];
    const sigma = Math.exp(z);
    const prec = 1 / (sigma * sigma);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const r = y[i] - mu;
      s1 += r;
      s2 += r * r;
    }
    grad[iMu] = -mu / 100 + s1 * prec;
    grad[iSigma] = -sigma + 1 + s2 * prec - n;
    return c - 0.005 * mu * mu - sigma + z - 0.5 * s2 * prec - n * z;
  };
};
