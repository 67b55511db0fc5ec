/**
 * Dual averaging of the log step size (adapt/dualAveraging.ts) against the
 * published algorithm (Hoffman & Gelman 2014, Algorithm 5, with Stan's
 * γ 0.05, t₀ 10, κ 0.75, μ = log 10ε₀) and against synthetic problems whose
 * acceptance statistic is a known decreasing function of the step size.
 */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_DUAL_AVERAGING,
  dualAveragingFinal,
  dualAveragingInit,
  type DualAveragingSettings,
  dualAveragingUpdate,
} from "../../../src/inference/adapt/dualAveraging.ts";
import { Rng } from "../../../src/random/rng.ts";

/**
 * Algorithm 5 of Hoffman & Gelman (2014), transcribed from the paper:
 *   H̄₀ = 0, log ε̄₀ = 0 (ε̄₀ = 1), μ = log(10 ε₀), and for m = 1, 2, …
 *   H̄_m     = (1 − 1/(m + t₀)) H̄_{m−1} + 1/(m + t₀) (δ − α_m)
 *   log ε_m = μ − (√m / γ) H̄_m
 *   log ε̄_m = m^(−κ) log ε_m + (1 − m^(−κ)) log ε̄_{m−1}
 * Stan clips α_m at 1 (NUTS' α/n_α can exceed 1 only by rounding); the
 * transcription does the same. Returns every (ε_m, ε̄_m).
 */
function algorithm5(
  eps0: number,
  alphas: readonly number[],
  delta = 0.8,
  gamma = 0.05,
  t0 = 10,
  kappa = 0.75,
): { eps: number; epsBar: number }[] {
  const mu = Math.log(10 * eps0);
  let hBar = 0;
  let logEpsBar = 0;
  const out: { eps: number; epsBar: number }[] = [];
  for (let m = 1; m <= alphas.length; m++) {
    const alpha = Math.min(1, alphas[m - 1]);
    hBar = (1 - 1 / (m + t0)) * hBar + (1 / (m + t0)) * (delta - alpha);
    const logEps = mu - (Math.sqrt(m) / gamma) * hBar;
    const w = m ** -kappa;
    logEpsBar = w * logEps + (1 - w) * logEpsBar;
    out.push({ eps: Math.exp(logEps), epsBar: Math.exp(logEpsBar) });
  }
  return out;
}

/** Runs the code under test on a fixed sequence of acceptance statistics; returns every (ε_m, ε̄_m). */
function runCode(eps0: number, alphas: readonly number[], settings?: DualAveragingSettings): { eps: number; epsBar: number }[] {
  const s = dualAveragingInit(eps0);
  return alphas.map((a) => {
    const eps = dualAveragingUpdate(s, a, settings);
    return { eps, epsBar: dualAveragingFinal(s) };
  });
}

function expectRelClose(actual: number, expected: number, rel: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

describe("dual averaging: the published algorithm", () => {
  it("Stan's defaults are δ 0.8, γ 0.05, κ 0.75, t₀ 10", () => {
    // Proves the constants the warm-up uses are Stan's (stan/mcmc/stepsize_adaptation.hpp and the CmdStan guide).
    expect(DEFAULT_DUAL_AVERAGING).toEqual({ delta: 0.8, gamma: 0.05, kappa: 0.75, t0: 10 });
  });

  it("starts with μ = log(10 ε₀) and zero averages", () => {
    // Proves the starting state is Algorithm 5's: H̄₀ = 0, log ε̄₀ = 0, μ = log 10ε₀ (so ε̄ = 1 before any update).
    const s = dualAveragingInit(0.37);
    expect(s.counter).toBe(0);
    expect(s.sBar).toBe(0);
    expect(s.xBar).toBe(0);
    expectRelClose(s.mu, Math.log(3.7), 1e-15);
    expect(dualAveragingFinal(s)).toBe(1);
  });

  it("the first iterate, by hand", () => {
    // Proves the first update against arithmetic done by hand: ε₀ = 1, α₁ = 0.3:
    // H̄₁ = (δ − α)/(1 + t₀) = 0.5/11; log ε₁ = log 10 − (1/0.05)·0.5/11 = log 10 − 10/11;
    // log ε̄₁ = 1^(−κ) log ε₁ = log ε₁.
    const s = dualAveragingInit(1);
    const eps = dualAveragingUpdate(s, 0.3);
    const logEps1 = Math.log(10) - 10 / 11;
    expectRelClose(eps, Math.exp(logEps1), 1e-14);
    expectRelClose(dualAveragingFinal(s), Math.exp(logEps1), 1e-14);
    expect(s.counter).toBe(1);
  });

  it("gives the same iterates as a transcription of Hoffman & Gelman's Algorithm 5", () => {
    // Proves every iterate ε_m and averaged iterate ε̄_m of the code equals the
    // paper's recursion (transcribed above) for a fixed, varied sequence of
    // acceptance statistics, including values above 1, for two ε₀.
    const rng = new Rng(20140101, 3);
    const alphas = Array.from({ length: 500 }, (_, m) => (m % 37 === 5 ? 1 + rng.uniform() : rng.uniform()));
    for (const eps0 of [1, 0.0123]) {
      const mine = algorithm5(eps0, alphas);
      const code = runCode(eps0, alphas);
      for (let m = 0; m < alphas.length; m++) {
        expectRelClose(code[m].eps, mine[m].eps, 1e-12);
        expectRelClose(code[m].epsBar, mine[m].epsBar, 1e-12);
      }
    }
  });

  it("uses the settings it is given (target δ, γ, κ, t₀)", () => {
    // Proves the settings argument reaches the recursion: with δ 0.65, γ 0.1, κ 0.6, t₀ 5
    // the iterates equal the transcription with those constants (and differ from the defaults').
    const alphas = Array.from({ length: 60 }, (_, m) => 0.5 + 0.4 * Math.sin(m));
    const settings = { delta: 0.65, gamma: 0.1, kappa: 0.6, t0: 5 };
    const mine = algorithm5(2, alphas, 0.65, 0.1, 5, 0.6);
    const code = runCode(2, alphas, settings);
    for (let m = 0; m < alphas.length; m++) {
      expectRelClose(code[m].eps, mine[m].eps, 1e-12);
      expectRelClose(code[m].epsBar, mine[m].epsBar, 1e-12);
    }
    expect(Math.abs(runCode(2, alphas)[59].epsBar - code[59].epsBar)).toBeGreaterThan(1e-3);
  });

  it("counts acceptance statistics above 1 as 1", () => {
    // Proves the clipping: a sequence with values 1.5, 7, 1 + 1e-9 gives exactly the state of the
    // same sequence with those values replaced by 1 — and not the state an unclipped 1.5 would give.
    const raw = [0.4, 1.5, 0.9, 7, 1 + 1e-9, 0.2];
    const clipped = raw.map((a) => Math.min(1, a));
    const a = dualAveragingInit(0.5);
    const b = dualAveragingInit(0.5);
    for (let i = 0; i < raw.length; i++) expect(dualAveragingUpdate(a, raw[i])).toBe(dualAveragingUpdate(b, clipped[i]));
    expect(a).toEqual(b);
    // The clip matters: unclipped, the second iterate after (0.4, 1.5) from ε₀ = 0.5 would be, by hand,
    // H̄₂ = (11/12)(0.4/11) + (0.8 − 1.5)/12, log ε₂ = log 5 − (√2/0.05) H̄₂; clipped, α₂ = 1 replaces 1.5.
    const s = dualAveragingInit(0.5);
    dualAveragingUpdate(s, 0.4);
    const e2 = dualAveragingUpdate(s, 1.5);
    const unclipped = Math.exp(Math.log(5) - (Math.sqrt(2) / 0.05) * ((11 / 12) * (0.4 / 11) + (0.8 - 1.5) / 12));
    const clippedByHand = Math.exp(Math.log(5) - (Math.sqrt(2) / 0.05) * ((11 / 12) * (0.4 / 11) + (0.8 - 1) / 12));
    expectRelClose(e2, clippedByHand, 1e-12);
    expect(Math.abs(e2 - unclipped)).toBeGreaterThan(1e-3 * unclipped);
  });
});

/**
 * Convergence on synthetic problems. With a deterministic acceptance a(ε),
 * write x = log ε. The recursion gives H̄_t = Σ_{s≤t}(δ − a_s)/(t + t₀) and
 * x_t = μ − √t H̄_t / γ, so S_t = Σ_{s≤t}(δ − a_s) ≈ γ √t (μ − x_t). Once
 * x_t has settled near x*, δ − a_t = S_t − S_{t−1} ≈ γ (μ − x*) / (2√t):
 * the iterates sit where the acceptance is short of δ by
 *   b(t) = γ (μ − x*) / (2√t),
 * and ε̄ (a weighted average of recent x) inherits that bias. So after T
 * iterations |a(ε̄_T) − δ| should be about b(T), not more; we allow 1.5 b(T)
 * (the lag of the average and higher-order terms; in runs of this test the
 * ratio is 1.0–1.2 for T ≥ 1000), and check the sign (a(ε̄) − δ has the sign
 * of x* − μ) and that the error shrinks like 1/√T between T = 2000 and
 * T = 20000 (ratio √10 ≈ 3.16; we require 2.5–4).
 */
describe("dual averaging: converges to the step size with acceptance δ", () => {
  const delta = 0.8;
  const problems: { name: string; a: (eps: number) => number; epsStar: number }[] = [
    // a(ε) = exp(−ε²) = δ  ⇔  ε* = √(−ln δ).
    { name: "a(ε) = exp(−ε²)", a: (e) => Math.exp(-e * e), epsStar: Math.sqrt(-Math.log(delta)) },
    // a(ε) = min(1, c/ε) = δ  ⇔  ε* = c/δ.
    { name: "a(ε) = min(1, 0.3/ε)", a: (e) => Math.min(1, 0.3 / e), epsStar: 0.3 / delta },
  ];
  for (const { name, a, epsStar } of problems) {
    for (const eps0 of [1, 0.01, 10]) {
      it(`${name}, ε₀ = ${eps0}: ε̄ → ε* with the predicted 1/√T bias`, () => {
        // Proves dualAveragingUpdate/Final drive the averaged step size to the root of a(ε) = δ,
        // with the error the analysis above predicts, from below and above the root.
        const s = dualAveragingInit(eps0);
        let eps = eps0;
        const err: Record<number, number> = {};
        for (let t = 1; t <= 20_000; t++) {
          eps = dualAveragingUpdate(s, a(eps));
          if (t === 2000 || t === 20_000) err[t] = a(dualAveragingFinal(s)) - delta;
        }
        const muMinusXStar = Math.log(10 * eps0) - Math.log(epsStar);
        for (const T of [2000, 20_000]) {
          const b = (0.05 * Math.abs(muMinusXStar)) / (2 * Math.sqrt(T));
          expect(Math.abs(err[T])).toBeLessThanOrEqual(1.5 * b);
          expect(Math.sign(err[T])).toBe(-Math.sign(muMinusXStar));
        }
        const ratio = err[2000] / err[20_000];
        expect(ratio).toBeGreaterThan(2.5);
        expect(ratio).toBeLessThan(4);
        // In step-size terms: within 1 % of ε* after 20,000 iterations (b(20000)/|a'| is < 0.3 % here).
        expect(Math.abs(Math.log(dualAveragingFinal(s) / epsStar))).toBeLessThan(0.01);
      });
    }
  }
});
