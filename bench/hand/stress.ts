/**
 * Hand-written log density + gradient of `stress`: mu_pop ~ N(0, 10);
 * sigma_pop ~ Exponential(0.5); group_j ~ N(mu_pop, sigma_pop);
 * noise_j ~ Exponential(1); y_j ~ N(group_j, noise_j), j = 1..3.
 * Positive sites are log-transformed (log-Jacobian = log of the value).
 * @module
 */
import { at, field, HALF_LOG_2PI, type HandFactory } from "./common.ts";

/**
 * Builds the baseline from the data (`y_1`, `y_2`, `y_3`, equal lengths) and the θ offsets.
 *
 * @example
 * ```ts
 * const f = stress(data, offsets);
 * const lp = f(theta, grad);
 * ```
 */
export const stress: HandFactory = (data, off) => {
  const y1 = field(data, "y_1");
  const y2 = field(data, "y_2");
  const y3 = field(data, "y_3");
  const n = y1.length;
  if (y2.length !== n || y3.length !== n) throw new Error("stress baseline: y_1, y_2, y_3 must have one length");
  const iMu = at(off, "mu_pop");
  const iSp = at(off, "sigma_pop");
  const iG1 = at(off, "group_1");
  const iG2 = at(off, "group_2");
  const iG3 = at(off, "group_3");
  const iN1 = at(off, "noise_1");
  const iN2 = at(off, "noise_2");
  const iN3 = at(off, "noise_3");
  // mu_pop prior, sigma_pop rate, three group priors, three Exponential(1), 3n likelihood constants.
  const c = -Math.log(10) - HALF_LOG_2PI + Math.log(0.5) - 3 * HALF_LOG_2PI + 3 * Math.log(1) - 3 * n * HALF_LOG_2PI;
  return (theta, grad) => {
    const mu = theta[iMu];
    const zp = theta[iSp];
    const g1 = theta[iG1];
    const g2 = theta[iG2];
    const g3 = theta[iG3];
    const z1 = theta[iN1];
    const z2 = theta[iN2];
    const z3 = theta[iN3];
    const sp = Math.exp(zp);
    const s1 = Math.exp(z1);
    const s2 = Math.exp(z2);
    const s3 = Math.exp(z3);
    const a1 = (g1 - mu) / sp;
    const a2 = (g2 - mu) / sp;
    const a3 = (g3 - mu) / sp;
    let r1s = 0,
      r1q = 0,
      r2s = 0,
      r2q = 0,
      r3s = 0,
      r3q = 0;
    for (let i = 0; i < n; i++) {
      const r1 = y1[i] - g1;
      const r2 = y2[i] - g2;
      const r3 = y3[i] - g3;
      r1s += r1;
      r1q += r1 * r1;
      r2s += r2;
      r2q += r2 * r2;
      r3s += r3;
      r3q += r3 * r3;
    }
    const p1 = 1 / (s1 * s1);
    const p2 = 1 / (s2 * s2);
    const p3 = 1 / (s3 * s3);
    const aa = a1 * a1 + a2 * a2 + a3 * a3;
    grad[iMu] = -mu / 100 + (a1 + a2 + a3) / sp;
    grad[iSp] = -0.5 * sp + 1 + aa - 3;
    grad[iG1] = -a1 / sp + r1s * p1;
    grad[iG2] = -a2 / sp + r2s * p2;
    grad[iG3] = -a3 / sp + r3s * p3;
    grad[iN1] = -s1 + 1 + r1q * p1 - n;
    grad[iN2] = -s2 + 1 + r2q * p2 - n;
    grad[iN3] = -s3 + 1 + r3q * p3 - n;
    return (
      c -
      0.005 * mu * mu -
      0.5 * sp +
      zp -
      0.5 * aa -
      3 * zp -
      s1 -
      s2 -
      s3 +
      z1 +
      z2 +
      z3 -
      0.5 * (r1q * p1 + r2q * p2 + r3q * p3) -
      n * (z1 + z2 + z3)
    );
  };
};
