/**
 * The multi-chain effective sample size of Geyer's initial positive and
 * monotone sequences, combined with the between-chain variance as in Stan and
 * posterior's `.ess`.
 * @module
 */
import { centre, directLags, fftLags } from "./autocov.ts";
import { type Chains, drawsPerChain, variance } from "./chains.ts";

/**
 * Lags summed directly before switching to one FFT for all the rest: about
 * half the number an FFT costs as much as, so a slowly mixing chain pays at
 * most half again, while a well-mixing one (a handful of lags) pays a fraction.
 */
const DIRECT_LAGS = 16;
/**
 * A lag-1 autocorrelation above which the FFT comes at once: decaying like
 * 0.8ᵗ, the correlations stay above the noise (≈ 0.02) past DIRECT_LAGS.
 */
const SLOW_MIXING = 0.8;

// Reused from call to call: a summary asks for thousands of ESS of one length.
let acovBuffer = new Float64Array(0);
let rhoBuffer = new Float64Array(0);

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
  if (n < 3) return NaN;
  const centred = centre(chains, n);
  if (centred.degenerate) return NaN;
  if (acovBuffer.length < n) {
    acovBuffer = new Float64Array(n);
    rhoBuffer = new Float64Array(n);
  }
  const acovMean = acovBuffer;
  // Mean autocovariances as far as Geyer's sequence reads them.
  let known = 0;
  const acovAt = (t: number) => {
    if (t >= known) {
      if (t < DIRECT_LAGS && !(known > 1 && acovMean[1] > SLOW_MIXING * acovMean[0])) {
        const to = Math.min(n, Math.max(t + 1, known + 4));
        directLags(centred, known, to, acovMean);
        known = to;
      } else {
        fftLags(centred, acovMean[0], known, acovMean);
        known = n;
      }
    }
    return acovMean[t];
  };
  // W: mean within-chain variance (n − 1 denominator).
  const meanVar = (acovAt(0) * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) varPlus += variance(centred.means);
  const rhoAt = (t: number) => 1 - (meanVar - acovAt(t)) / varPlus;

  // Geyer's initial positive sequence over pairs (even, odd) of lags.
  const rho = rhoBuffer.fill(0, 0, n);
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
