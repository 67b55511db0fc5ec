/**
 * Hand-written log density + gradient of `medium`: mu_global ~ N(0, 10);
 * sigma_global ~ Exponential(1); alpha, beta ~ N(mu_global, sigma_global);
 * sigma_obs ~ Exponential(2); y_a ~ N(alpha, sigma_obs); y_b ~ N(beta, sigma_obs).
 * Positive sites are log-transformed (log-Jacobian = log of the value).
 * @module
 */
import { at, field, HALF_LOG_2PI, type HandFactory } from "./common.ts";

/**
 * Builds the baseline from the data (`y_a`, `y_b`) and the θ offsets.
 *
 * @example
 * ```ts
 * const f = medium(data, offsets);
 * const lp = f(theta, grad);
 * ```
 */
export const medium: HandFactory = (data, off) => {
  const ya = field(data, "y_a");
  const yb = field(data, "y_b");
  const na = ya.length;
  const nb = yb.length;
  const nab = na + nb;
  const iMg = at(off, "mu_global");
  const iSg = at(off, "sigma_global");
  const iA = at(off, "alpha");
  const iB = at(off, "beta");
  const iSo = at(off, "sigma_obs");
  // mu_global prior, the two exponential rates, alpha/beta and the likelihood constants.
  const c = -Math.log(10) - HALF_LOG_2PI + Math.log(1) + Math.log(2) - 2 * HALF_LOG_2PI - nab * HALF_LOG_2PI;
  return (theta, grad) => {
    const mg = theta[iMg];
    const zg = theta[iSg];
    const alpha = theta[iA];
    const beta = theta[iB];
    const zo = theta[iSo];
    const sg = Math.exp(zg);
    const so = Math.exp(zo);
    const a = (alpha - mg) / sg;
    const b = (beta - mg) / sg;
    let sa1 = 0;
    let sa2 = 0;
    for (let i = 0; i < na; i++) {
      const r = ya[i] - alpha;
      sa1 += r;
      sa2 += r * r;
    }
    let sb1 = 0;
    let sb2 = 0;
    for (let i = 0; i < nb; i++) {
      const r = yb[i] - beta;
      sb1 += r;
      sb2 += r * r;
    }
    const prec = 1 / (so * so);
    const ss = sa2 + sb2;
    grad[iMg] = -mg / 100 + (a + b) / sg;
    grad[iSg] = -sg + 1 + a * a + b * b - 2;
    grad[iA] = -a / sg + sa1 * prec;
    grad[iB] = -b / sg + sb1 * prec;
    grad[iSo] = -2 * so + 1 + ss * prec - nab;
    return c - 0.005 * mg * mg - sg + zg - 0.5 * (a * a + b * b) - 2 * zg - 2 * so + zo - 0.5 * ss * prec - nab * zo;
  };
};
