/**
 * Hand-written log density + gradient of Neal's `funnel`:
 * y ~ N(0, 3); x[k] ~ N(0, exp(y / 2)). No transforms.
 * @module
 */
import { at, HALF_LOG_2PI, type HandFactory, type Offsets } from "./common.ts";

/**
 * Builds the baseline from the θ offsets (the model has no data); `x` has
 * length `k` (9 in the benchmark).
 *
 * @example
 * ```ts
 * const f = funnel({}, { y: 0, x: 1 });
 * const lp = f(new Float64Array(10), new Float64Array(10));
 * ```
 */
export const funnel = (_data: Readonly<Record<string, unknown>>, off: Offsets, k = 9): ReturnType<HandFactory> => {
  const iY = at(off, "y");
  const iX = at(off, "x");
  const c = -Math.log(3) - HALF_LOG_2PI - k * HALF_LOG_2PI;
  return (theta, grad) => {
    const y = theta[iY];
    const e = Math.exp(-y);
    let sxx = 0;
    for (let i = 0; i < k; i++) {
      const x = theta[iX + i];
      sxx += x * x;
      grad[iX + i] = -x * e;
    }
    grad[iY] = -y / 9 + 0.5 * sxx * e - 0.5 * k;
    return c - (y * y) / 18 - 0.5 * sxx * e - 0.5 * k * y;
  };
};
