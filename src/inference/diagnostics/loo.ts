/**
 * Approximate leave-one-out cross-validation by PSIS (Vehtari, Gelman &
 * Gabry 2017), WAIC (Watanabe 2010), the relative efficiency of MCMC draws
 * and model comparison, as the R package loo 2.5.1 computes them (`loo`,
 * `waic`, `relative_eff`, `loo_compare`) from a pointwise log-likelihood
 * matrix: S draws × N observations, row-major (draw s, observation i at
 * `s·N + i`), draws ordered chain after chain.
 * @module
 */
import quantileNormal from "@stdlib/stats-base-dists-normal-quantile";
import { logSumExp } from "../../special/index.ts";
import { essGeyer } from "./geyer.ts";
import { variance } from "./chains.ts";
import { khatVerdict, psis, PsisInputError } from "./psis.ts";

/** A Pareto k̂ verdict in words ("good", "ok", "bad", "very bad"). */
export type Verdict = ReturnType<typeof khatVerdict>;

/** The result of {@link loo}: totals with standard errors, pointwise values and k̂ diagnostics. */
export interface LooResult {
  /** Expected log pointwise predictive density Σᵢ elpd_loo,i. */
  readonly elpdLoo: number;
  readonly seElpdLoo: number;
  /** Effective number of parameters, lpd − elpd_loo. */
  readonly pLoo: number;
  readonly sePLoo: number;
  /** −2 · elpd_loo. */
  readonly looic: number;
  readonly seLooic: number;
  /** Per observation: its elpd_loo, p_loo, looic, Pareto k̂ and the Monte Carlo SE of its elpd_loo. */
  readonly pointwise: {
    readonly elpdLoo: Float64Array;
    readonly pLoo: Float64Array;
    readonly looic: Float64Array;
    readonly khat: Float64Array;
    readonly mcseElpdLoo: Float64Array;
  };
  /** Counts of observations per k̂ verdict. */
  readonly khatCounts: Readonly<Record<Verdict, number>>;
  /** Warnings in words, e.g. "3 of 48 observations have Pareto k̂ > 0.7 (observations 4, 9, 31) …". */
  readonly warnings: readonly string[];
}

/** The result of {@link waic}. */
export interface WaicResult {
  readonly elpdWaic: number;
  readonly seElpdWaic: number;
  /** Effective number of parameters: Σᵢ of the posterior variance of log p(yᵢ | θ). */
  readonly pWaic: number;
  readonly sePWaic: number;
  /** −2 · elpd_waic. */
  readonly waic: number;
  readonly seWaic: number;
  readonly pointwise: { readonly elpdWaic: Float64Array; readonly pWaic: Float64Array; readonly waic: Float64Array };
  /** loo's warning when some pointwise p_waic exceed 0.4. */
  readonly warnings: readonly string[];
}

/** One row of {@link looCompare}. */
export interface LooCompareRow {
  readonly name: string;
  /** elpd_loo minus the best model's (0 for the best, negative for the others). */
  readonly elpdDiff: number;
  /** Standard error of `elpdDiff`, √N · sd of the pointwise differences. */
  readonly seDiff: number;
  readonly elpdLoo: number;
  readonly seElpdLoo: number;
  readonly pLoo: number;
  readonly sePLoo: number;
  readonly looic: number;
  readonly seLooic: number;
}

/**
 * PSIS-LOO from a pointwise log-likelihood matrix, as `loo::loo(ll, r_eff)`
 * in loo 2.5.1: for each observation, PSIS of the ratios 1/p(yᵢ | θₛ) gives
 * elpd_loo,i = log Σₛ wₛ p(yᵢ | θₛ), p_loo,i = lpdᵢ − elpd_loo,i, k̂ᵢ and
 * the Monte Carlo SE (loo's deterministic `mcse_elpd`, so it matches R
 * exactly); totals are sums, their SEs √N · sd.
 *
 * @param logLik draws × observations, row-major.
 * @param opts.rEff relative efficiency of each observation's likelihood
 *   draws ({@link relativeEff}), or one number for all; default 1 (loo's
 *   `r_eff = NA`: independent draws).
 * @throws PsisInputError when a log-likelihood is NaN or ±∞ (loo errors too).
 * @throws RangeError when the matrix is not draws × observations or rEff is
 *   not one positive value per observation.
 */
export function loo(
  logLik: Float64Array,
  draws: number,
  observations: number,
  opts: { readonly rEff?: number | ArrayLike<number> } = {},
): LooResult {
  checkShape(logLik, draws, observations);
  checkFinite(logLik, observations);
  const rEff = rEffPerObservation(opts.rEff ?? 1, observations);
  const elpdLoo = new Float64Array(observations);
  const pLoo = new Float64Array(observations);
  const khat = new Float64Array(observations);
  const mcseElpdLoo = new Float64Array(observations);
  let shortTail = false;
  for (let i = 0; i < observations; i++) {
    const ll = column(logLik, draws, observations, i);
    const smoothed = psis(
      ll.map((x) => -x),
      { rEff: rEff[i] },
    );
    const lw = smoothed.logWeights;
    elpdLoo[i] = logSumExp(ll.map((x, s) => x + lw[s]));
    pLoo[i] = logSumExp(ll) - Math.log(draws) - elpdLoo[i];
    khat[i] = smoothed.khat;
    mcseElpdLoo[i] = mcseElpd(ll, lw, elpdLoo[i], rEff[i]);
    shortTail ||= smoothed.tailLength < 5;
  }
  const looic = elpdLoo.map((e) => -2 * e);
  const khatCounts: Record<Verdict, number> = { good: 0, ok: 0, bad: 0, "very bad": 0 };
  for (const k of khat) khatCounts[khatVerdict(k)]++;
  const warnings = khatWarnings(khat);
  if (shortTail)
    warnings.unshift(`${draws} draws are too few to fit the Pareto tail (it needs 5 tail draws): the ratios are not smoothed and k̂ = ∞`);
  const [e, p, ic] = [elpdLoo, pLoo, looic].map(estimate);
  return {
    elpdLoo: e.total,
    seElpdLoo: e.se,
    pLoo: p.total,
    sePLoo: p.se,
    looic: ic.total,
    seLooic: ic.se,
    pointwise: { elpdLoo, pLoo, looic, khat, mcseElpdLoo },
    khatCounts,
    warnings,
  };
}

/**
 * WAIC from a pointwise log-likelihood matrix, as `loo::waic`: per
 * observation lpdᵢ = log mean exp, p_waic,i = sample variance of the log
 * likelihood, elpd_waic,i = lpdᵢ − p_waic,i; totals are sums, their SEs
 * √N · sd. Warns, as loo, when some p_waic,i exceed 0.4.
 *
 * @throws PsisInputError when a log-likelihood is NaN or ±∞ (loo errors too).
 */
export function waic(logLik: Float64Array, draws: number, observations: number): WaicResult {
  checkShape(logLik, draws, observations);
  checkFinite(logLik, observations);
  const elpdWaic = new Float64Array(observations);
  const pWaic = new Float64Array(observations);
  for (let i = 0; i < observations; i++) {
    const ll = column(logLik, draws, observations, i);
    pWaic[i] = variance(ll);
    elpdWaic[i] = logSumExp(ll) - Math.log(draws) - pWaic[i];
  }
  const waicPointwise = elpdWaic.map((e) => -2 * e);
  const high = pWaic.filter((p) => p > 0.4).length;
  const warnings =
    high === 0
      ? []
      : [`${high} (${((100 * high) / observations).toFixed(1)}%) p_waic estimates greater than 0.4. We recommend trying loo instead.`];
  const [e, p, w] = [elpdWaic, pWaic, waicPointwise].map(estimate);
  return {
    elpdWaic: e.total,
    seElpdWaic: e.se,
    pWaic: p.total,
    sePWaic: p.se,
    waic: w.total,
    seWaic: w.se,
    pointwise: { elpdWaic, pWaic, waic: waicPointwise },
    warnings,
  };
}

/**
 * Relative efficiency of each observation's likelihood draws,
 * `loo::relative_eff(exp(ll), chain_id)`: the multi-chain ESS of p(yᵢ | θₛ)
 * (Geyer's initial monotone sequence, no splitting or ranks) over S. The
 * likelihoods are scaled by their maximum first, which leaves the ESS as it
 * is but keeps tiny likelihoods from underflowing. A column whose draws are
 * all equal gets 0.5, as loo's `ess_rfun` (τ̂ = 2) gives.
 *
 * @param chains number of chains; the draws are ordered chain after chain, equally many each.
 * @throws RangeError when draws do not split into chains of at least 3 draws.
 */
export function relativeEff(logLik: Float64Array, draws: number, observations: number, chains: number): Float64Array {
  checkShape(logLik, draws, observations);
  checkFinite(logLik, observations);
  const perChain = draws / chains;
  if (!Number.isInteger(perChain) || perChain < 3) {
    throw new RangeError(`relativeEff: ${draws} draws do not split into ${chains} chains of equal length ≥ 3`);
  }
  const out = new Float64Array(observations);
  for (let i = 0; i < observations; i++) {
    const ll = column(logLik, draws, observations, i);
    let max = -Infinity;
    for (const x of ll) if (x > max) max = x;
    const lik = ll.map((x) => Math.exp(x - max));
    const ess = essGeyer(Array.from({ length: chains }, (_, c) => lik.subarray(c * perChain, (c + 1) * perChain)));
    // essGeyer is NaN only for (numerically) constant draws here, where loo's τ̂ is 2.
    out[i] = Number.isNaN(ess) ? 0.5 : ess / draws;
  }
  return out;
}

/**
 * Ranks models fitted to the same data by elpd_loo, as `loo::loo_compare`:
 * best first (ties keep the given order), each row's `elpdDiff` the sum and
 * `seDiff` √N · sd of its pointwise elpd_loo minus the best model's.
 *
 * @throws RangeError for fewer than two models or different numbers of observations.
 */
export function looCompare(fits: Readonly<Record<string, LooResult>>): readonly LooCompareRow[] {
  const entries = Object.entries(fits);
  if (entries.length < 2) throw new RangeError("looCompare needs at least two models");
  const n = entries[0][1].pointwise.elpdLoo.length;
  for (const [name, fit] of entries) {
    if (fit.pointwise.elpdLoo.length !== n) {
      throw new RangeError(
        `looCompare: models differ in their number of observations (${entries[0][0]}: ${n}, ${name}: ${fit.pointwise.elpdLoo.length})`,
      );
    }
  }
  // Array.prototype.sort is stable, like R's order(decreasing = TRUE) here.
  entries.sort((a, b) => b[1].elpdLoo - a[1].elpdLoo);
  const best = entries[0][1].pointwise.elpdLoo;
  return entries.map(([name, fit]) => {
    const diffs = fit.pointwise.elpdLoo.map((e, i) => e - best[i]);
    const { total, se } = estimate(diffs);
    return {
      name,
      elpdDiff: total,
      seDiff: se,
      elpdLoo: fit.elpdLoo,
      seElpdLoo: fit.seElpdLoo,
      pLoo: fit.pLoo,
      sePLoo: fit.sePLoo,
      looic: fit.looic,
      seLooic: fit.seLooic,
    };
  });
}

/** loo's `table_of_estimates` for one column: the sum and its SE √N · sd. */
function estimate(pointwise: Float64Array): { total: number; se: number } {
  let total = 0;
  for (const x of pointwise) total += x;
  return { total, se: Math.sqrt(pointwise.length * variance(pointwise)) };
}

/** Observation i's draws. */
function column(logLik: Float64Array, draws: number, observations: number, i: number): Float64Array {
  return Float64Array.from({ length: draws }, (_, s) => logLik[s * observations + i]);
}

function checkShape(logLik: Float64Array, draws: number, observations: number): void {
  if (!(Number.isInteger(draws) && Number.isInteger(observations) && draws > 0 && observations > 0)) {
    throw new RangeError(`the log-likelihood needs a positive whole number of draws and observations, got ${draws} × ${observations}`);
  }
  if (logLik.length !== draws * observations) {
    throw new RangeError(`the log-likelihood has ${logLik.length} values, not ${draws} draws × ${observations} observations`);
  }
}

/** loo's `validate_ll`: every log-likelihood must be finite. */
function checkFinite(logLik: Float64Array, observations: number): void {
  for (let k = 0; k < logLik.length; k++) {
    if (!Number.isFinite(logLik[k])) {
      throw new PsisInputError(Math.floor(k / observations), logLik[k], `observation ${(k % observations) + 1}`);
    }
  }
}

function rEffPerObservation(rEff: number | ArrayLike<number>, observations: number): Float64Array {
  const out = typeof rEff === "number" ? new Float64Array(observations).fill(rEff) : Float64Array.from(rEff);
  if (out.length !== observations) throw new RangeError(`rEff has ${out.length} values, one per observation (${observations}) needed`);
  for (let i = 0; i < observations; i++) {
    if (!(out[i] > 0 && out[i] < Infinity))
      throw new RangeError(`rEff of observation ${i + 1} is ${out[i]}; it must be positive and finite`);
  }
  return out;
}

// Blom's (1958) approximate expected normal order statistics for 1000 draws.
const MCSE_DRAWS = 1000;
let blom: Float64Array | undefined;

/**
 * loo 2.5.1's `mcse_elpd`: the MC standard error of elpd_loo,i, by pushing
 * normal quantiles with the MC variance of the weighted likelihood mean
 * through the log (deterministic, so R's numbers are reproduced).
 */
function mcseElpd(ll: Float64Array, lw: Float64Array, elpd: number, rEff: number): number {
  blom ??= Float64Array.from({ length: MCSE_DRAWS }, (_, r) => quantileNormal((r + 1 - 3 / 8) / (MCSE_DRAWS - 2 * (3 / 8) + 1), 0, 1));
  const epd = Math.exp(elpd);
  let varEpd = 0;
  for (let s = 0; s < ll.length; s++) varEpd += Math.exp(lw[s]) ** 2 * (Math.exp(ll[s]) - epd) ** 2;
  const sdEpd = Math.sqrt(varEpd);
  const logZ: number[] = [];
  for (const z of blom) {
    const v = epd + sdEpd * z;
    if (v > 0) logZ.push(Math.log(v));
  }
  return Math.sqrt(variance(logZ) / rEff);
}

/** loo's Pareto k warnings, in words with the observations named (1-based). */
function khatWarnings(khat: Float64Array): string[] {
  const above = (t: number) => [...khat.keys()].filter((i) => !(khat[i] <= t));
  const count = (ids: number[]) => `${ids.length} of ${khat.length} observations ${ids.length === 1 ? "has" : "have"}`;
  const named = (ids: number[]) =>
    `observation${ids.length > 1 ? "s" : ""} ${ids
      .slice(0, 10)
      .map((i) => i + 1)
      .join(", ")}${ids.length > 10 ? ", …" : ""}`;
  const tooHigh = above(0.7);
  if (tooHigh.length > 0) {
    return [
      `${count(tooHigh)} Pareto k̂ > 0.7 (${named(tooHigh)}): PSIS-LOO is unreliable there; ` +
        "refit leaving those observations out, or use K-fold cross-validation",
    ];
  }
  const high = above(0.5);
  if (high.length > 0) {
    return [
      `${count(high)} slightly high Pareto k̂ in (0.5, 0.7] (${named(high)}): the estimate is usable, with a larger Monte Carlo error`,
    ];
  }
  return [];
}
