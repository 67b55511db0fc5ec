/**
 * Statistical properties with known answers, on seeded draws. Each tolerance
 * is about five Monte Carlo standard deviations of the estimator, derived in
 * the comment beside it (and checked against 200 replicates at smaller sizes),
 * so a correct implementation passes for any seed and a wrong factor fails.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/random/rng.ts";
import {
  ebfmi,
  essBulk,
  essMean,
  essTail,
  mcseQuantile,
  mcseSd,
  rhat,
  rhatBulk,
  rhatTail,
} from "../../../src/inference/diagnostics/index.ts";

function chainsOf(seed: number, m: number, n: number, draw: (g: Rng) => number): Float64Array[] {
  return Array.from({ length: m }, (_, c) => {
    const g = new Rng(seed, c);
    return Float64Array.from({ length: n }, () => draw(g));
  });
}

function ar1(seed: number, m: number, n: number, rho: number): Float64Array[] {
  return Array.from({ length: m }, (_, c) => {
    const g = new Rng(seed, c);
    let x = g.normal() / Math.sqrt(1 - rho * rho); // start in the stationary law
    return Float64Array.from({ length: n }, () => (x = rho * x + g.normal()));
  });
}

const laplace = (g: Rng) => {
  const u = g.uniform() - 0.5;
  return -Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
};

describe("effective sample size", () => {
  it("of iid draws is S", () => {
    // S = 10,000. For iid draws each ρ̂ₜ ≈ N(0, 1/S), and τ̂ − 1 = 2ρ̂₁ + further
    // lags while pair sums stay positive (each pair continues with chance ½);
    // so sd(ESS/S) ≈ 2/√S from ρ̂₁ alone and ≈ 2.6/√S in all (200 replicates at
    // S = 4000: sd 0.042, mean 0.983). Five sd at S = 10,000: 0.13.
    const x = chainsOf(101, 4, 2500, (g) => g.normal());
    expect(Math.abs(essMean(x) / 10000 - 1)).toBeLessThan(0.13);
    expect(Math.abs(essBulk(x) / 10000 - 1)).toBeLessThan(0.13);
    // Tail-ESS is the smaller of two such estimates: biased down by about
    // 0.56 sd (E min of two normals), so allow 0.13 + 0.56 · 0.026 ≈ 0.15.
    expect(Math.abs(essTail(x) / 10000 - 1)).toBeLessThan(0.15);
  });

  it("of an AR(1) with ρ = 0.9 is S(1 − ρ)/(1 + ρ)", () => {
    // τ = (1 + ρ)/(1 − ρ) = 19, S = 100,000, so ESS = 5263. Madras and Sokal
    // (1988): Var(τ̂)/τ² ≈ 2(2W + 1)/S for a window W. Geyer's sequence stops
    // where the pair sum ρᵗ(1 + ρ) sinks into its noise √(2τ/S) = 0.0195, at
    // W ≈ 44, giving sd(ESS/ESS₀) ≈ √(178/S) = 4.2 % (200 replicates at
    // S = 40,000: 6.0 % against the formula's 6.3 %). Five sd: 0.21.
    const rho = 0.9;
    const x = ar1(202, 4, 25000, rho);
    const want = (100000 * (1 - rho)) / (1 + rho);
    expect(Math.abs(essMean(x) / want - 1)).toBeLessThan(0.21);
    // Rank normalization of Gaussian draws is nearly the identity.
    expect(Math.abs(essBulk(x) / want - 1)).toBeLessThan(0.21);
  });
});

describe("R-hat", () => {
  it("is near 1 for mixed chains and far above 1.1 when one chain's mean is shifted", () => {
    // 8 split chains of 500: for iid chains B/W ~ χ²₇/7, so R̂ − 1 ≈ (B/W − 1)/(2N)
    // has sd √(2/7)/1000 ≈ 5e-4; 1.01 is twenty sd away.
    const x = chainsOf(303, 4, 1000, (g) => g.normal());
    expect(rhat(x)).toBeLessThan(1.01);
    // Shifting one chain by 2 sd: chain means 0 (×6 halves) and 2 (×2) have
    // variance 6/7, B = 500 · 6/7 ≈ 429, R̂ ≈ √((429 + 499)/500) ≈ 1.36.
    const shifted = x.map((c, i) => (i === 3 ? c.map((v) => v + 2) : c));
    expect(rhat(shifted)).toBeGreaterThan(1.1);
    expect(rhatBulk(shifted)).toBeGreaterThan(1.1);
  });

  it("detects a chain of different scale only through folding", () => {
    // Same centre, one chain 3× wider: locations agree, so the bulk R-hat
    // stays near 1, while the folded draws |x − median| differ in mean.
    const x = chainsOf(404, 4, 1000, (g) => g.normal());
    const wide = x.map((c, i) => (i === 0 ? c.map((v) => 3 * v) : c));
    expect(rhatBulk(wide)).toBeLessThan(1.01);
    expect(rhatTail(wide)).toBeGreaterThan(1.1);
    expect(rhat(wide)).toBe(rhatTail(wide));
  });
});

describe("Monte Carlo standard errors", () => {
  it("mcseSd follows the kurtosis (Kenney–Keeping), not the normal-theory σ/√(2S)", () => {
    // iid Laplace(0, 1), S = 100,000: σ² = 2, μ₄ = 24, so
    // MCSE(sd) = √((μ₄ − σ⁴)/(4σ²S)) = √(2.5/S), 1.58× the normal-theory value.
    // Noise: sample μ₄ has relative sd √((8! − 24²)/S)/24 = 2.6 %, μ₄ − σ⁴ about
    // 3.4 %, the ESS of the squares ~1 %: 1.8 % on the MCSE. Five sd: 0.09.
    const x = chainsOf(505, 4, 25000, laplace);
    expect(Math.abs(mcseSd(x) / Math.sqrt(2.5 / 100000) - 1)).toBeLessThan(0.09);
    // Normal draws: √((3 − 1)/(4S)) = 1/√(2S); sample μ₄ noise √(96/S)/3 = 1 %.
    const z = chainsOf(506, 4, 25000, (g) => g.normal());
    expect(Math.abs(mcseSd(z) / Math.sqrt(1 / 200000) - 1)).toBeLessThan(0.05);
  });

  it("mcseQuantile approaches the asymptotic √(p(1 − p)/S)/φ(zₚ) for iid draws", () => {
    // The estimate is half the distance between order statistics 2√(p(1−p)/ESS)·S
    // ranks apart (316 at p = ½, 274 at p = ¼); k-apart uniform spacings have
    // relative sd 1/√k, so 5.6 % and 6.0 %. Tolerance 0.25 is over four sd.
    const z = chainsOf(607, 4, 25000, (g) => g.normal());
    const phi = (t: number) => Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
    for (const [p, zp] of [
      [0.5, 0],
      [0.25, -0.6744897501960817],
    ]) {
      const want = Math.sqrt((p * (1 - p)) / 100000) / phi(zp);
      expect(Math.abs(mcseQuantile(z, p) / want - 1)).toBeLessThan(0.25);
    }
  });
});

describe("E-BFMI", () => {
  it("is about 2 for iid energies", () => {
    // Delta method with A = Σ diff²/N ≈ 2σ², B = var ≈ σ²: Var A = 12σ⁴/N,
    // Var B = 2σ⁴/N, Cov = 4σ⁴/N, so Var(A/B) ≈ (12 + 8 − 16)/N = 4/N and the
    // sd is 0.02 at N = 10,000 (200 replicates at N = 1000: sd 0.061 vs 0.063).
    // Five sd: 0.1.
    const [e] = chainsOf(708, 1, 10000, (g) => 50 + 3 * g.normal());
    expect(Math.abs(ebfmi(e) - 2)).toBeLessThan(0.1);
  });

  it("is small for a random-walk energy", () => {
    // Σ diff²/N ≈ 1 while a random walk of N steps has variance ≈ N/6, so
    // E-BFMI ≈ 6/N = 0.006 at N = 1000 (200 replicates: at most 0.062).
    const g = new Rng(809, 0);
    let w = 0;
    const e = Float64Array.from({ length: 1000 }, () => (w += g.normal()));
    expect(ebfmi(e)).toBeLessThan(0.1);
  });
});
