/**
 * Hand-written log density + gradient of centered `eight_schools`:
 * mu ~ N(0, 5); tau ~ HalfNormal(5); theta[j] ~ N(mu, tau); y[j] ~ N(theta[j], sigma[j]).
 * θ holds mu, log tau and theta[·]; log-Jacobian log tau.
 * @module
 */
import { at, field, HALF_LOG_2PI, type HandFactory } from "./common.ts";

/**
 * Builds the baseline from the data (`y`, `sigma`) and the θ offsets.
 *
 * @example
 * ```ts
 * const f = eightSchools(data, offsets);
 * const lp = f(theta, grad);
 * ```
 */
export const eightSchools: HandFactory = (data, off) => {
  const y = field(data, "y");
  const sigma = field(data, "sigma");
  const J = y.length;
  if (sigma.length !== J) throw new Error("eight_schools baseline: y and sigma differ in length");
  const prec = sigma.map((s) => 1 / (s * s));
  const iMu = at(off, "mu");
  const iTau = at(off, "tau");
  const iTh = at(off, "theta");
  let sumLogSigma = 0;
  for (let j = 0; j < J; j++) sumLogSigma += Math.log(sigma[j]);
  // mu prior, half-normal (log 2 + normal), J theta priors, J likelihood terms.
  const c = -Math.log(5) - HALF_LOG_2PI + Math.LN2 - Math.log(5) - HALF_LOG_2PI - 2 * J * HALF_LOG_2PI - sumLogSigma;
  return (theta, grad) => {
    const mu = theta[iMu];
    const z = theta[iTau];
    const tau = Math.exp(z);
    const itau = 1 / tau;
    let sa = 0;
    let saa = 0;
    let sl = 0;
    for (let j = 0; j < J; j++) {
      const th = theta[iTh + j];
      const a = (th - mu) * itau;
      const r = y[j] - th;
      const rp = r * prec[j];
      sa += a;
      saa += a * a;
      sl += r * rp;
      grad[iTh + j] = -a * itau + rp;
    }
    grad[iMu] = -mu / 25 + sa * itau;
    grad[iTau] = -(tau * tau) / 25 + 1 + saa - J;
    return c - (mu * mu) / 50 - (tau * tau) / 50 + z - 0.5 * saa - J * z - 0.5 * sl;
  };
};
