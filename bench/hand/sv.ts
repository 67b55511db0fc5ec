/**
 * Hand-written log density + gradient of stochastic volatility `sv`:
 * sigma ~ Exponential(50); nu ~ Exponential(0.1); s ~ GaussianRandomWalk(sigma)
 * (s[0] ~ N(0, sigma), s[t] ~ N(s[t−1], sigma)); returns[t] ~ StudentT(nu, 0, exp(s[t])).
 * θ holds log sigma, log nu and s[·]; log-Jacobian log sigma + log nu.
 * @module
 */
import { digamma, lgamma } from "../../src/special/index.ts";
import { at, field, HALF_LOG_2PI, type HandFactory } from "./common.ts";

const HALF_LOG_PI = 0.5 * Math.log(Math.PI);

/**
 * Builds the baseline from the data (`returns`) and the θ offsets.
 *
 * @example
 * ```ts
 * const f = sv(data, offsets);
 * const lp = f(theta, grad);
 * ```
 */
export const sv: HandFactory = (data, off) => {
  const ret = field(data, "returns");
  const T = ret.length;
  const r2 = ret.map((r) => r * r);
  const iSigma = at(off, "sigma");
  const iNu = at(off, "nu");
  const iS = at(off, "s");
  // Exponential rates, T random-walk normal constants, T Student-t log √π.
  const c = Math.log(50) + Math.log(0.1) - T * HALF_LOG_2PI - T * HALF_LOG_PI;
  return (theta, grad) => {
    const zs = theta[iSigma];
    const zn = theta[iNu];
    const sigma = Math.exp(zs);
    const nu = Math.exp(zn);
    const prec = 1 / (sigma * sigma);
    const inu = 1 / nu;
    const h1 = 0.5 * (nu + 1);
    let sInc2 = 0; // Σ increments²
    let sS = 0; // Σ s
    let sL = 0; // Σ log1p(w)
    let sW = 0; // Σ w / (1 + w)
    let prev = 0;
    let gPrev = 0; // pending gradient of s[t−1] from its own increment
    for (let t = 0; t < T; t++) {
      const s = theta[iS + t];
      const inc = s - prev;
      sInc2 += inc * inc;
      const gi = inc * prec;
      if (t > 0) grad[iS + t - 1] = gPrev + gi;
      const w = r2[t] * Math.exp(-2 * s) * inu;
      const q = w / (1 + w);
      sS += s;
      sL += Math.log1p(w);
      sW += q;
      gPrev = -gi - 1 + (nu + 1) * q;
      prev = s;
    }
    grad[iS + T - 1] = gPrev;
    const dNu = T * (0.5 * (digamma(h1) - digamma(0.5 * nu)) - 0.5 * inu) - 0.5 * sL + h1 * inu * sW;
    grad[iSigma] = -50 * sigma + 1 + sInc2 * prec - T;
    grad[iNu] = nu * dNu - 0.1 * nu + 1;
    return (
      c - 50 * sigma + zs - 0.1 * nu + zn - 0.5 * sInc2 * prec - T * zs + T * (lgamma(h1) - lgamma(0.5 * nu) - 0.5 * zn) - sS - h1 * sL
    );
  };
};
