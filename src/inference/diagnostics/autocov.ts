/**
 * Autocovariances by FFT and the multi-chain effective sample size of
 * Geyer's initial positive and monotone sequences, combined with the
 * between-chain variance as in Stan and posterior's `.ess`.
 * @module
 */
import FFT from "fft.js";
import { type Chains, drawsPerChain, isDegenerate, variance } from "./chains.ts";

// Twiddle tables are the costly part of an FFT instance; chains share sizes.
const fftCache = new Map<number, FFT>();
function fftOfSize(size: number): FFT {
  let f = fftCache.get(size);
  if (f === undefined) {
    f = new FFT(size);
    fftCache.set(size, f);
  }
  return f;
}

/**
 * Autocovariances of one sequence at lags 0 … N − 1, each the "biased"
 * estimate (1/N) Σᵢ (xᵢ − x̄)(xᵢ₊ₜ − x̄) that Geyer (1992) recommends,
 * computed in O(N log N) by FFT with zero padding to avoid wrap-around. A
 * constant sequence gives all zeros.
 *
 * @example
 * ```ts
 * autocovariance([1, 2, 3, 4]); // Float64Array [1.25, 0.3125, -0.375, -0.5625]
 * ```
 */
export function autocovariance(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - m) * (x[i] - m);
  if (ss === 0) return out;
  // At least 2N − 1 points so the circular correlation equals the linear one.
  let size = 4;
  while (size < 2 * n) size *= 2;
  const f = fftOfSize(size);
  const y = new Float64Array(size);
  for (let i = 0; i < n; i++) y[i] = x[i] - m;
  const spec = new Float64Array(2 * size);
  f.realTransform(spec, y);
  f.completeSpectrum(spec);
  // Power spectrum |Y|², whose inverse transform is the autocorrelation sum.
  for (let k = 0; k < size; k++) {
    const re = spec[2 * k];
    const im = spec[2 * k + 1];
    spec[2 * k] = re * re + im * im;
    spec[2 * k + 1] = 0;
  }
  const ac = new Float64Array(2 * size);
  f.inverseTransform(ac, spec);
  // Scale by lag 0 rather than trusting the transform's normalization: the
  // directly summed variance is exact, so lag 0 carries no FFT rounding.
  const scale = ss / n / ac[0];
  for (let t = 0; t < n; t++) out[t] = ac[2 * t] * scale;
  return out;
}

/**
 * Effective sample size of chains as they are given (split or transform them
 * first): the within-chain autocorrelations ρ̂ₜ = 1 − (W − mean acovₜ)/var⁺
 * are summed over Geyer's initial positive sequence (pairs ρ̂₂ₖ + ρ̂₂ₖ₊₁ kept
 * while positive), made monotone, and ESS = M·N / τ̂ with
 * τ̂ = −1 + 2 Σ ρ̂ₜ + ρ̂ at the truncation lag (the antithetic-friendly form).
 * τ̂ is capped below at 1/log10(M·N). NaN for fewer than 3 draws per chain, any
 * non-finite draw, or all draws equal; with 3 to 5 draws per chain no lag is
 * examined and, as in posterior, τ̂ = 2.
 *
 * @example
 * ```ts
 * essGeyer([[0.1, -1.2, 0.7, 0.3, -0.4], [1.1, -0.2, 0.5, -0.9, 0.2]]); // 5: chains this short get M·N/2
 * ```
 */
export function essGeyer(chains: Chains): number {
  const n = drawsPerChain(chains);
  const m = chains.length;
  if (n < 3 || isDegenerate(chains)) return NaN;
  const acovMean = new Float64Array(n);
  const chainMeans = new Float64Array(m);
  for (let c = 0; c < m; c++) {
    const acov = autocovariance(chains[c]);
    for (let t = 0; t < n; t++) acovMean[t] += acov[t] / m;
    let s = 0;
    for (let i = 0; i < n; i++) s += chains[c][i];
    chainMeans[c] = s / n;
  }
  // W: mean within-chain variance (n − 1 denominator).
  const meanVar = (acovMean[0] * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) varPlus += variance(chainMeans);
  const rhoAt = (t: number) => 1 - (meanVar - acovMean[t]) / varPlus;

  // Geyer's initial positive sequence over pairs (even, odd) of lags.
  const rho = new Float64Array(n);
  let t = 0;
  let rhoEven = 1;
  let rhoOdd = rhoAt(1);
  rho[0] = rhoEven;
  rho[1] = rhoOdd;
  while (t < n - 5 && !Number.isNaN(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0) {
    t += 2;
    rhoEven = rhoAt(t);
    rhoOdd = rhoAt(t + 1);
    if (rhoEven + rhoOdd >= 0) {
      rho[t] = rhoEven;
      rho[t + 1] = rhoOdd;
    }
  }
  const maxT = t;
  // The first dropped even lag still enters the improved estimate when positive.
  if (rhoEven > 0) rho[maxT] = rhoEven;

  // Geyer's initial monotone sequence: pair sums may not increase.
  t = 0;
  while (t <= maxT - 4) {
    t += 2;
    if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
      rho[t] = (rho[t - 2] + rho[t - 1]) / 2;
      rho[t + 1] = rho[t];
    }
  }

  const total = m * n;
  let sum = 0;
  for (let k = 0; k < maxT; k++) sum += rho[k];
  // posterior's R sums rho[1:max_t], which for max_t = 0 is rho[1] (R's 1:0 = c(1, 0)).
  if (maxT === 0) sum = rho[0];
  let tau = -1 + 2 * sum + rho[maxT];
  // Cap ESS at M·N·log10(M·N) against unstable antithetic estimates.
  tau = Math.max(tau, 1 / Math.log10(total));
  return total / tau;
}
