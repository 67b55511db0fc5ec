/**
 * ADVI's variational families as Stan defines them (stan/variational/
 * families): a normal approximation on the unconstrained scale, stored as a
 * flat parameter vector so that the step-size sequence updates every
 * parameter elementwise, as Stan's family arithmetic does.
 *
 * - mean-field: `[mu (d), omega (d)]`, ζ = mu + exp(omega) ⊙ η;
 * - full-rank: `[mu (d), L (d×d, row-major, lower)]`, ζ = mu + L η.
 * @module
 */

/** A fitted normal approximation on the unconstrained scale. */
export type AdviApproximation =
  | { readonly kind: "meanfield"; readonly mu: Float64Array; readonly omega: Float64Array /* log sd */ }
  | { readonly kind: "fullrank"; readonly mu: Float64Array; readonly L: Float64Array /* d×d lower, row-major */ };

/** ½ (1 + log 2π): the entropy of a standard normal per dimension. */
const HALF_ONE_PLUS_LOG_TWO_PI = 0.5 * (1 + Math.log(2 * Math.PI));

/** A variational family over a flat parameter vector. */
export interface Family {
  readonly kind: AdviApproximation["kind"];
  /** Dimension d of the approximated density. */
  readonly dim: number;
  /** Number of variational parameters. */
  readonly size: number;
  /** The parameters of the approximation at mean `mu` with unit scale (omega = 0, L = I), as Stan initializes it. */
  initial(mu: Float64Array): Float64Array;
  /** Writes ζ = mu + scale · η into `out` (`eta` and `out` of length d). */
  transform(params: Float64Array, eta: Float64Array, out: Float64Array): void;
  /** The entropy of the approximation (analytic). */
  entropy(params: Float64Array): number;
  /** Adds one draw's reparameterization gradient of log p(ζ), given ∇ log p(ζ) and its η, to `acc` (length size). */
  accumulate(params: Float64Array, eta: Float64Array, gradLogp: Float64Array, acc: Float64Array): void;
  /** Turns the sum of `n` draws' contributions in `acc` into the ELBO gradient: their mean plus the entropy's gradient. */
  finish(params: Float64Array, acc: Float64Array, n: number): void;
  /** The approximation the parameters describe (copies). */
  approximation(params: Float64Array): AdviApproximation;
}

/**
 * Stan's `normal_meanfield`: independent normals, log sd `omega`.
 *
 * @example
 * ```ts
 * const f = meanfield(2);
 * const p = f.initial(Float64Array.of(1, -1)); // mu (1, −1), omega 0
 * f.entropy(p); // 2 · ½ (1 + log 2π)
 * ```
 */
export function meanfield(d: number): Family {
  return {
    kind: "meanfield",
    dim: d,
    size: 2 * d,
    initial(mu) {
      const p = new Float64Array(2 * d);
      p.set(mu);
      return p;
    },
    transform(params, eta, out) {
      for (let i = 0; i < d; i++) out[i] = params[i] + Math.exp(params[d + i]) * eta[i];
    },
    entropy(params) {
      let s = d * HALF_ONE_PLUS_LOG_TWO_PI;
      for (let i = 0; i < d; i++) s += params[d + i];
      return s;
    },
    accumulate(_params, eta, g, acc) {
      for (let i = 0; i < d; i++) {
        acc[i] += g[i];
        acc[d + i] += g[i] * eta[i];
      }
    },
    finish(params, acc, n) {
      for (let i = 0; i < d; i++) {
        acc[i] /= n;
        // Chain rule through exp(omega), plus the entropy's unit gradient.
        acc[d + i] = (acc[d + i] / n) * Math.exp(params[d + i]) + 1;
      }
    },
    approximation: (params) => ({ kind: "meanfield", mu: params.slice(0, d), omega: params.slice(d, 2 * d) }),
  };
}

/**
 * Stan's `normal_fullrank`: a normal with covariance L Lᵀ, L lower
 * triangular. Only the lower triangle of L is ever updated (its gradient is
 * zero above the diagonal), so L stays triangular.
 *
 * @example
 * ```ts
 * const f = fullrank(2);
 * const p = f.initial(new Float64Array(2)); // mu 0, L = I
 * f.approximation(p); // { kind: "fullrank", mu: [0, 0], L: [1, 0, 0, 1] }
 * ```
 */
export function fullrank(d: number): Family {
  return {
    kind: "fullrank",
    dim: d,
    size: d + d * d,
    initial(mu) {
      const p = new Float64Array(d + d * d);
      p.set(mu);
      for (let i = 0; i < d; i++) p[d + i * d + i] = 1;
      return p;
    },
    transform(params, eta, out) {
      for (let i = 0; i < d; i++) {
        let s = params[i];
        for (let j = 0; j <= i; j++) s += params[d + i * d + j] * eta[j];
        out[i] = s;
      }
    },
    entropy(params) {
      let s = d * HALF_ONE_PLUS_LOG_TWO_PI;
      for (let i = 0; i < d; i++) {
        // log |det L|; Stan skips a zero diagonal entry rather than returning −∞.
        const l = Math.abs(params[d + i * d + i]);
        if (l !== 0) s += Math.log(l);
      }
      return s;
    },
    accumulate(_params, eta, g, acc) {
      for (let i = 0; i < d; i++) {
        acc[i] += g[i];
        for (let j = 0; j <= i; j++) acc[d + i * d + j] += g[i] * eta[j];
      }
    },
    finish(params, acc, n) {
      for (let k = 0; k < d + d * d; k++) acc[k] /= n;
      for (let i = 0; i < d; i++) acc[d + i * d + i] += 1 / params[d + i * d + i];
    },
    approximation: (params) => ({ kind: "fullrank", mu: params.slice(0, d), L: params.slice(d) }),
  };
}
