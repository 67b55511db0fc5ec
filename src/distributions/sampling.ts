/**
 * Numeric helpers of the prior samplers: broadcasting parameters to the
 * batch, elementwise draws, stdlib's gamma/beta/Poisson/binomial/negative
 * binomial generators fed with the model's {@link Rng}, and a Cholesky
 * factorization. Every draw comes from the `Rng` passed in, so samples are
 * reproducible from its seed and stream.
 * @module
 */
import betaRandom from "@stdlib/random-base-beta";
import binomialRandom from "@stdlib/random-base-binomial";
import gammaRandom from "@stdlib/random-base-gamma";
import negativeBinomialRandom from "@stdlib/random-base-negative-binomial";
import poissonRandom from "@stdlib/random-base-poisson";
import type { NumericParam } from "../dsl/distribution.ts";
import { choleskyArray } from "../numeric/dense.ts";
import { broadcastStrides, type Shape, sizeOf } from "../tensor/shape.ts";
import type { Rng } from "../random/rng.ts";

/**
 * A parameter's values broadcast to `shape` (row-major). The model has
 * already checked that the parameter's shape broadcasts to it.
 *
 * @example
 * ```ts
 * expand({ values: Float64Array.of(1, 2), shape: [2] }, [3, 2]); // 1,2,1,2,1,2
 * ```
 */
export function expand(p: NumericParam, shape: Shape): Float64Array {
  const n = sizeOf(shape);
  if (p.values.length === n) return p.values;
  if (p.values.length === 1) return new Float64Array(n).fill(p.values[0]);
  const strides = broadcastStrides(p.shape, shape);
  const out = new Float64Array(n);
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    let src = 0;
    for (let k = 0; k < shape.length; k++) src += index[k] * strides[k];
    out[i] = p.values[src];
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++index[k] < shape[k]) break;
      index[k] = 0;
    }
  }
  return out;
}

/**
 * One draw per batch element, from the parameters' values there (in
 * row-major order, so the stream of random numbers is reproducible).
 *
 * @example
 * ```ts
 * const rng = new Rng(1);
 * const p = { loc: { values: Float64Array.of(0, 10), shape: [2] }, scale: { values: Float64Array.of(1), shape: [] } };
 * drawElementwise([2], [p.loc, p.scale], (loc, scale) => loc + scale * rng.normal()); // one draw near 0, one near 10
 * ```
 */
export function drawElementwise(batch: Shape, params: readonly NumericParam[], draw: (...values: number[]) => number): Float64Array {
  const cols = params.map((p) => expand(p, batch));
  const out = new Float64Array(sizeOf(batch));
  const args = new Array<number>(cols.length);
  for (let i = 0; i < out.length; i++) {
    for (let j = 0; j < cols.length; j++) args[j] = cols[j][i];
    out[i] = draw(...args);
  }
  return out;
}

/** Gamma(shape α, rate β) draws from `rng`. */
export function gammaSampler(rng: Rng): (shape: number, rate: number) => number {
  return gammaRandom.factory({ prng: rng.prng });
}

/** Beta(α, β) draws from `rng`. */
export function betaSampler(rng: Rng): (a: number, b: number) => number {
  return betaRandom.factory({ prng: rng.prng });
}

/** Poisson(λ) draws from `rng`. */
export function poissonSampler(rng: Rng): (rate: number) => number {
  const draw = poissonRandom.factory({ prng: rng.prng });
  // stdlib returns NaN for λ = 0, a legal rate whose only value is 0.
  return (rate) => (rate === 0 ? 0 : draw(rate));
}

/**
 * Binomial(n, p) draws from `rng`. stdlib's large-mean path (BTRD, used when
 * n·min(p, 1−p) ≥ 10) is biased in the version we use (its explicit ratio
 * loops run one factor too far: B(200, 0.9) draws average 179.53), so large
 * problems are first reduced by Knuth's exact order-statistic recursion
 * (TAOCP 3.4.1): X ~ Beta(a, n + 1 − a), a = 1 + ⌊n/2⌋, is the a-th smallest of
 * n uniforms; if X ≥ p the successes are B(a − 1, p/X), otherwise they are
 * a + B(n − a, (p − X)/(1 − X)). Each step halves n, and stdlib's inversion
 * path finishes once the mean is small.
 */
export function binomialSampler(rng: Rng): (n: number, p: number) => number {
  const draw = binomialRandom.factory({ prng: rng.prng });
  const beta = betaSampler(rng);
  return (trials, prob) => {
    let n = trials;
    let p = prob;
    let count = 0;
    while (n * Math.min(p, 1 - p) >= 10) {
      const a = 1 + Math.floor(n / 2);
      const x = beta(a, n + 1 - a);
      if (x >= p) {
        n = a - 1;
        p /= x;
      } else {
        count += a;
        n -= a;
        p = (p - x) / (1 - x);
      }
    }
    // stdlib rejects n = 0 and the degenerate p ∈ {0, 1}; their draws are certain.
    return count + (n === 0 || p <= 0 ? 0 : p >= 1 ? n : draw(n, p));
  };
}

/**
 * Negative binomial draws with mean μ and dispersion φ (Stan's
 * neg_binomial_2): stdlib's (r, p) with r = φ successes of probability
 * p = φ / (μ + φ), which it draws as a gamma–Poisson mixture.
 */
export function negativeBinomial2Sampler(rng: Rng): (mu: number, phi: number) => number {
  const draw = negativeBinomialRandom.factory({ prng: rng.prng });
  return (mu, phi) => draw(phi, phi / (mu + phi));
}

/**
 * The lower Cholesky factor of a symmetric positive-definite `k×k` matrix
 * (row-major), or an error naming the family if it is not one.
 */
export function choleskyNumeric(a: ArrayLike<number>, k: number, what: string): Float64Array {
  const l = choleskyArray(Float64Array.from(a), k);
  // The ground kernel gives NaN throughout when the matrix is not positive definite.
  if (Number.isNaN(l[0])) throw new RangeError(`${what}: the covariance matrix is not positive definite`);
  return l;
}
