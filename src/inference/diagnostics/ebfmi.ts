/**
 * Energy Bayesian fraction of missing information (Betancourt 2016), the
 * HMC diagnostic for momentum resampling that cannot keep up with the
 * variation of the energy across the posterior.
 * @module
 */

/**
 * E-BFMI of one chain's energy series, as rstan's `get_bfmi`:
 * (Σₜ (Eₜ − Eₜ₋₁)² / N) / var(E), var with the N − 1 denominator (ArviZ
 * differs by the factor N²/(N − 1)², negligible for long chains). About 2
 * when energies are independent; below 0.3 the momentum resampling explores
 * the energy distribution too slowly. NaN for fewer than two draws, a
 * constant series or non-finite energies.
 *
 * @example
 * ```ts
 * ebfmi([10.2, 11.5, 9.8, 12.1, 10.9]); // 2.585…
 * ```
 */
export function ebfmi(energy: ArrayLike<number>): number {
  const n = energy.length;
  if (n < 2) return NaN;
  let m = 0;
  for (let i = 0; i < n; i++) m += energy[i];
  m /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) num += (energy[i] - energy[i - 1]) ** 2;
    den += (energy[i] - m) ** 2;
  }
  const r = num / n / (den / (n - 1));
  return Number.isFinite(r) ? r : NaN;
}
