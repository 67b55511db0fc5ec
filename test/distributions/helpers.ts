/**
 * Shared tools of the distribution tests: evaluating a family's log density
 * with the numeric interpreter, drawing from its sampler, and the
 * goodness-of-fit statistics (Kolmogorov–Smirnov, chi-square, z-scores).
 */
import { expect } from "vitest";
import type { Family, NumericParam } from "../../src/dsl/distribution.ts";
import { makeMath, numericToArray } from "../../src/dsl/math.ts";
import type { Shape, Numeric } from "../../src/tensor/shape.ts";
import type { Tensor } from "../../src/dsl/tensor.ts";
import { numericOps, type NumTensor } from "../../src/numeric/ops.ts";
import { Rng } from "../../src/random/rng.ts";
/** The algebra over the numeric interpreter. */
export const m = makeMath(numericOps, { site: () => undefined });

/** The values of a numeric tensor. */
export const valuesOf = (t: Tensor): Float64Array => (t as unknown as NumTensor).v;
/** The shape of a numeric tensor. */
export const shapeOf = (t: Tensor): Shape => (t as unknown as NumTensor).shape;

const isNumeric = (x: Numeric | Tensor): x is Numeric => typeof x === "number" || Array.isArray(x);
/** Plain numbers as a numeric tensor; a tensor as it is. */
const tensorOf = (x: Numeric | Tensor): Tensor => (isNumeric(x) ? m.constant(x) : x);

/** A family's log density at `x`, evaluated numerically (parameters as plain numbers or numeric tensors). */
export function logProb(family: Family, x: Numeric | Tensor, params: Record<string, Numeric | Tensor>): { v: Float64Array; shape: Shape } {
  const p = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, tensorOf(v)]));
  const out = family.logProb(m, tensorOf(x), p);
  return { v: valuesOf(out), shape: shapeOf(out) };
}

/** Draws of a family with plain-number (or numeric-tensor) parameters, from a fixed seed. */
export function sample(family: Family, params: Record<string, Numeric | Tensor>, batch: Shape, seed = 20240601): Float64Array {
  const p: Record<string, NumericParam> = {};
  for (const [k, v] of Object.entries(params)) p[k] = isNumeric(v) ? numericToArray(v) : { values: valuesOf(v), shape: shapeOf(v) };
  if (family.sample === undefined) throw new Error(`${family.name} has no sampler`);
  return family.sample(new Rng(seed), p, batch);
}

/** Whether a and b agree to `rtol` relative (absolute below 1); equal infinities agree. */
export function near(a: number, b: number, rtol = 1e-9): boolean {
  if (!Number.isFinite(b) || !Number.isFinite(a)) return a === b;
  return Math.abs(a - b) <= rtol * Math.max(1, Math.abs(b));
}

/** The Kolmogorov–Smirnov statistic sup |F_n − F| of draws against a continuous CDF. */
export function ksStatistic(draws: ArrayLike<number>, cdf: (x: number) => number): number {
  const xs = Float64Array.from(draws).sort();
  const n = xs.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(xs[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

// n = 20000 draws per test; KS critical value 1.95/√n ≈ 0.0138 (α ≈ 0.001).
/** Draws per goodness-of-fit test. */
export const N = 20000;
// Two-sided z-tests of Monte Carlo means: |z| < 4 (α ≈ 6·10⁻⁵ each).
/** The bound on |z| of each z-test. */
export const Z = 4;

/** KS critical value at α ≈ 0.001 for n draws (asymptotic, c(α) = 1.95). */
export const ksCritical = (n: number): number => 1.95 / Math.sqrt(n);

/**
 * Pearson's chi-square of integer draws against a pmf, pooling the tails
 * so that every cell expects at least 5 draws; returns the statistic and
 * the degrees of freedom (cells − 1).
 */
export function chiSquare(draws: ArrayLike<number>, pmf: (k: number) => number, lo: number, hi: number): { stat: number; df: number } {
  const n = draws.length;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) counts.set(draws[i], (counts.get(draws[i]) ?? 0) + 1);
  const cells: { observed: number; expected: number }[] = [];
  let pending = { observed: 0, expected: 0 };
  let mass = 0;
  for (let k = lo; k <= hi; k++) {
    const p = pmf(k);
    mass += p;
    pending.observed += counts.get(k) ?? 0;
    pending.expected += n * p;
    if (pending.expected >= 5) {
      cells.push(pending);
      pending = { observed: 0, expected: 0 };
    }
  }
  // Everything beyond the range (and the leftover cell) goes into the last cell.
  let outside = 0;
  for (const [k, c] of counts) if (k < lo || k > hi) outside += c;
  pending.observed += outside;
  pending.expected += n * Math.max(0, 1 - mass);
  if (cells.length === 0) cells.push(pending);
  else {
    cells[cells.length - 1].observed += pending.observed;
    cells[cells.length - 1].expected += pending.expected;
  }
  const stat = cells.reduce((acc, c) => acc + (c.observed - c.expected) ** 2 / c.expected, 0);
  return { stat, df: cells.length - 1 };
}

/**
 * Chi-square critical value at α = 0.001 (Wilson–Hilferty: within 1% of the
 * exact quantile for df ≥ 2; z₀.₉₉₉ = 3.090).
 */
export function chiSquareCritical(df: number): number {
  const a = 2 / (9 * df);
  return df * (1 - a + 3.09 * Math.sqrt(a)) ** 3;
}

/** The z-score of a Monte Carlo mean of `values` against `expected` (standard error from the sample). */
export function zScore(values: ArrayLike<number>, expected: number): number {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  const se = Math.sqrt(ss / (n - 1) / n);
  return (mean - expected) / se;
}

/** Column `j` of draws stored as rows of length `k`. */
export function column(draws: Float64Array, k: number, j: number): Float64Array {
  return Float64Array.from({ length: draws.length / k }, (_, i) => draws[i * k + j]);
}

/** z-tests of each coordinate's mean and each pair's covariance against the truth. */
export function expectMoments(draws: Float64Array, k: number, mean: number[], cov: number[][]): void {
  const cols = mean.map((_, j) => column(draws, k, j));
  mean.forEach((mu, j) => expect(Math.abs(zScore(cols[j], mu)), `mean ${j}`).toBeLessThan(Z));
  for (let i = 0; i < mean.length; i++) {
    for (let j = 0; j <= i; j++) {
      const products = cols[i].map((v, r) => (v - mean[i]) * (cols[j][r] - mean[j]));
      expect(Math.abs(zScore(products, cov[i][j])), `cov ${i},${j}`).toBeLessThan(Z);
    }
  }
}

/**
 * A tolerance of a log-density check: relative as {@link near} (`rtol`),
 * absolute as vitest's `toBeCloseTo(want, digits)` (|a − b| < 10^−digits / 2),
 * or exact equality (Object.is, as toEqual: 0 and −0 differ).
 */
export type Tol = { readonly rtol: number } | { readonly digits: number } | "exact";

/** Whether `a` agrees with `b` to `tol`; equal infinities agree, NaN never does. */
export function close(a: number, b: number, tol: Tol): boolean {
  if (tol === "exact") return Object.is(a, b);
  if ("rtol" in tol) return near(a, b, tol.rtol);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) < 10 ** -tol.digits / 2;
}
