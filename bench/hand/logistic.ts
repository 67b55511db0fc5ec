/**
 * Hand-written log density + gradient of `logistic`: alpha ~ N(0, 10);
 * beta[k] ~ N(0, 10); y[i] ~ BernoulliLogit(alpha + X[i]·beta). No transforms.
 * @module
 */
import { at, field, HALF_LOG_2PI, type HandFactory } from "./common.ts";

/**
 * Builds the baseline from the data (`X` as N rows of K, `y` in {0, 1}) and the θ offsets.
 *
 * @example
 * ```ts
 * const f = logistic(data, offsets);
 * const lp = f(theta, grad);
 * ```
 */
export const logistic: HandFactory = (data, off) => {
  const y = field(data, "y");
  const X = field(data, "X");
  const N = y.length;
  const K = X.length / N;
  if (!Number.isInteger(K)) throw new Error("logistic baseline: X is not N × K");
  const iA = at(off, "alpha");
  const iB = at(off, "beta");
  const c = -(1 + K) * (Math.log(10) + HALF_LOG_2PI);
  const b = new Float64Array(K); // β, copied out of θ once per call
  const gb = new Float64Array(K); // ∇β accumulated here, then copied into grad
  const K4 = K & ~3;
  return (theta, grad) => {
    const alpha = theta[iA];
    let bb = 0;
    for (let k = 0; k < K; k++) {
      const bk = theta[iB + k];
      b[k] = bk;
      bb += bk * bk;
      gb[k] = -bk / 100;
    }
    let lp = c - 0.005 * (alpha * alpha + bb);
    let ga = -alpha / 100;
    for (let i = 0, row = 0; i < N; i++, row += K) {
      // X[i]·β with four accumulators, so the adds do not wait on each other.
      let e0 = alpha,
        e1 = 0,
        e2 = 0,
        e3 = 0;
      let k = 0;
      for (; k < K4; k += 4) {
        e0 += X[row + k] * b[k];
        e1 += X[row + k + 1] * b[k + 1];
        e2 += X[row + k + 2] * b[k + 2];
        e3 += X[row + k + 3] * b[k + 3];
      }
      for (; k < K; k++) e0 += X[row + k] * b[k];
      const eta = e0 + e1 + (e2 + e3);
      // Stable softplus: log(1 + e^η) = max(η, 0) + log1p(e^−|η|); log p(y | η) = y·η − softplus(η).
      const t = Math.exp(-Math.abs(eta));
      const inv = 1 / (1 + t);
      const yi = y[i];
      lp += yi * eta - Math.max(eta, 0) - Math.log1p(t);
      const r = yi - (eta >= 0 ? inv : t * inv); // y − σ(η)
      ga += r;
      for (let k = 0; k < K; k++) gb[k] += r * X[row + k];
    }
    grad[iA] = ga;
    for (let k = 0; k < K; k++) grad[iB + k] = gb[k];
    return lp;
  };
};
