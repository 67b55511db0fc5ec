/**
 * Pareto-smoothed importance sampling (Vehtari, Simpson, Gelman, Yao & Gabry
 * 2024), step for step as the R package loo 2.5.1 computes it (`psis`,
 * `do_psis_i`, `psis_smooth_tail`, `gpdfit`): the largest ratios are replaced
 * by quantiles of a generalized Pareto distribution fitted to them, and the
 * fit's shape k̂ says how far the importance sampling can be trusted.
 * @module
 */
import { logSumExp } from "../../special/index.ts";

/** The result of {@link psis}. */
export interface PsisResult {
  /** Smoothed log weights, normalized so that logSumExp(logWeights) = 0. */
  readonly logWeights: Float64Array;
  /**
   * Pareto shape estimate k̂ of the upper tail. +∞ where loo gives Inf: a
   * tail shorter than 5 draws, a tail of equal values, or a fit that fails
   * (NaN k̂).
   */
  readonly khat: number;
  /** Number of tail draws smoothed (loo's `tail_len`, even where too short to smooth). */
  readonly tailLength: number;
}

/**
 * Log importance ratios that PSIS cannot take: NaN or infinite. loo rejects
 * them too (`validate_ll`); drop such draws (weight 0) before calling.
 */
export class PsisInputError extends Error {
  override readonly name = "PsisInputError";
  constructor(
    /** 0-based index of the first offending draw. */
    readonly draw: number,
    /** The offending value. */
    readonly value: number,
    /** Where the ratios came from, e.g. "observation 3" (prefixes the message). */
    readonly where?: string,
  ) {
    super(
      `${where === undefined ? "" : `${where}: `}log importance ratio of draw ${draw + 1} is ${value}; ` +
        `PSIS needs finite log ratios (drop such draws, which have weight 0, first)`,
    );
  }
}

/**
 * PSIS of log importance ratios (Vehtari et al. 2024), as the R package loo
 * 2.5.1 computes it: the ratios are shifted by their maximum; the
 * M = ⌈min(0.2·S, 3·√(S/r_eff))⌉ largest are replaced by the expected order
 * statistics of a generalized Pareto distribution fitted (Zhang & Stephens
 * 2009, with loo's weakly informative prior on k) to their excess over the
 * (M+1)-th largest; weights are then truncated at the largest raw ratio
 * (loo 2.5.1's truncation; not the S^(3/4)·mean of loo 1.x) and normalized.
 * Fewer than 5 tail draws, or all tail values equal, leave the ratios
 * unsmoothed with k̂ = ∞, as loo.
 *
 * @param logRatios log p(θₛ)/q(θₛ) per draw, up to a constant.
 * @param opts.rEff relative MCMC efficiency of 1/ratios (loo's `r_eff`;
 *   default 1, for independent draws).
 * @throws PsisInputError when a log ratio is NaN or ±∞ (loo errors too).
 */
export function psis(logRatios: ArrayLike<number>, opts: { readonly rEff?: number } = {}): PsisResult {
  const s = logRatios.length;
  const lw = Float64Array.from(logRatios);
  for (let i = 0; i < s; i++) if (!Number.isFinite(lw[i])) throw new PsisInputError(i, lw[i]);
  const tailLength = paretoTailLength(s, opts.rEff ?? 1);
  const khat = smoothInPlace(lw, tailLength);
  const norm = logSumExp(lw);
  for (let i = 0; i < s; i++) lw[i] -= norm;
  return { logWeights: lw, khat, tailLength };
}

/** loo's `n_pareto`: how many of the largest ratios the Pareto fit uses. */
function paretoTailLength(draws: number, rEff: number): number {
  if (!(rEff > 0)) throw new RangeError(`relative efficiency r_eff must be positive, got ${rEff}`);
  return Math.ceil(Math.min(0.2 * draws, 3 * Math.sqrt(draws / rEff)));
}

/**
 * loo's `do_psis_i` on finite log ratios, in place: smooths the tail, truncates
 * at the largest raw ratio and leaves the weights unnormalized (on the scale
 * of the input). Returns k̂.
 */
function smoothInPlace(lw: Float64Array, tailLength: number): number {
  const s = lw.length;
  let max = -Infinity;
  for (let i = 0; i < s; i++) if (lw[i] > max) max = lw[i];
  // Shifted by the maximum, so exp() of the tail cannot overflow.
  for (let i = 0; i < s; i++) lw[i] -= max;
  let khat = Infinity;
  // loo needs 5 tail draws; M ≤ ⌈0.2·S⌉ < S leaves a cutoff below the tail.
  if (tailLength >= 5) {
    // R's sort.int(index.return = TRUE) is stable (radix): ties keep draw order.
    const order = Array.from({ length: s }, (_, i) => i).sort((a, b) => lw[a] - lw[b]);
    const tail = Float64Array.from({ length: tailLength }, (_, j) => lw[order[s - tailLength + j]]);
    // loo skips the fit when the tail is flat: a GPD cannot be fitted to one value.
    if (Math.abs(tail[tailLength - 1] - tail[0]) >= Number.EPSILON / 100) {
      const cutoff = lw[order[s - tailLength - 1]];
      const smoothed = smoothTail(tail, cutoff);
      khat = smoothed.k;
      for (let j = 0; j < tailLength; j++) lw[order[s - tailLength + j]] = smoothed.tail[j];
    }
  }
  // Truncate at the largest raw ratio (0 after the shift), then shift back.
  for (let i = 0; i < s; i++) lw[i] = (lw[i] > 0 ? 0 : lw[i]) + max;
  return khat;
}

/** loo's `psis_smooth_tail`: the log GPD quantiles replacing an ascending tail. */
function smoothTail(tail: Float64Array, cutoff: number): { tail: Float64Array; k: number } {
  const len = tail.length;
  const expCutoff = Math.exp(cutoff);
  const { k, sigma } = gpdFit(tail.map((x) => Math.exp(x) - expCutoff));
  if (!Number.isFinite(k)) return { tail, k };
  const smoothed = new Float64Array(len);
  for (let j = 0; j < len; j++) smoothed[j] = Math.log(gpdQuantile((j + 0.5) / len, k, sigma) + expCutoff);
  return { tail: smoothed, k };
}

/**
 * Generalized Pareto fit (location 0) of an ascending sample by the empirical
 * Bayes method of Zhang & Stephens (2009), with loo's `gpdfit` defaults: a
 * grid of 30 + ⌊√n⌋ points, prior 3, and k pulled toward 0.5 by the weakly
 * informative prior (`adjust_k_wip`). k is the negative of Zhang & Stephens'
 * k; NaN becomes +∞.
 *
 * @example
 * ```ts
 * gpdFit(Float64Array.of(0.1, 0.3, 0.4, 0.9, 1.7, 3.2)); // { k, sigma }
 * ```
 */
export function gpdFit(x: Float64Array): { readonly k: number; readonly sigma: number } {
  const n = x.length;
  const prior = 3;
  const m = 30 + Math.floor(Math.sqrt(n));
  const xStar = x[Math.floor(n / 4 + 0.5) - 1]; // first quartile
  const theta = new Float64Array(m);
  const logLik = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    theta[j] = 1 / x[n - 1] + (1 - Math.sqrt(m / (j + 0.5))) / prior / xStar;
    logLik[j] = n * profileLogLik(theta[j], x);
  }
  const norm = logSumExp(logLik);
  let thetaHat = 0;
  for (let j = 0; j < m; j++) thetaHat += theta[j] * Math.exp(logLik[j] - norm);
  let k = 0;
  for (let i = 0; i < n; i++) k += Math.log1p(-thetaHat * x[i]);
  k /= n;
  const sigma = -k / thetaHat;
  // Weakly informative prior: a Gaussian on k centred at 0.5 worth 10 draws.
  k = (k * n) / (n + 10) + (10 * 0.5) / (n + 10);
  return { k: Number.isNaN(k) ? Infinity : k, sigma };
}

/** loo's `lx`: the profile log-likelihood per draw of the GPD at θ. */
function profileLogLik(theta: number, x: Float64Array): number {
  const a = -theta;
  let k = 0;
  for (let i = 0; i < x.length; i++) k += Math.log1p(a * x[i]);
  k /= x.length;
  return Math.log(a / k) - k - 1;
}

/** loo's `qgpd`: the GPD quantile at p (location 0), NaN for a non-positive scale. */
function gpdQuantile(p: number, k: number, sigma: number): number {
  if (!(sigma > 0)) return NaN;
  return (sigma * Math.expm1(-k * Math.log1p(-p))) / k;
}

/**
 * The k̂ verdict in words, with loo 2.5.1's thresholds (`pareto_k_table`):
 * "good" (k̂ ≤ 0.5), "ok" (≤ 0.7), "bad" (≤ 1), "very bad" (above, or NaN).
 *
 * @example
 * ```ts
 * khatVerdict(0.62); // "ok"
 * khatVerdict(Infinity); // "very bad"
 * ```
 */
export function khatVerdict(khat: number): "good" | "ok" | "bad" | "very bad" {
  if (khat <= 0.5) return "good";
  if (khat <= 0.7) return "ok";
  if (khat <= 1) return "bad";
  return "very bad";
}
