/**
 * The one table of distribution test cases, in the manner of NumPyro's
 * test/test_distributions.py (`CONTINUOUS = [T(dist.Normal, 0., 1.), …]`).
 * A row is `T(constructor, arguments, spec)`: a key of the constructors of
 * src/distributions/index.ts with the arguments a model would pass it, the
 * values to evaluate the log density at, an independent reference for it
 * (stdlib's logpdf/logpmf or a closed form written here), the batch and
 * event shape the row must have, and what the sampling test compares draws
 * with. The log-prob, gradient, sampling and shape tests iterate over
 * CASES, so a row added here gets every test; cases.test.ts checks that
 * every constructor has rows.
 *
 * Rows are checked for derivatives unless their spec says why not
 * (`noGradient`): against central differences, or, for the parameters a
 * row gives them for (`dref`), against reference derivatives written here
 * (where large parameters make central differences too coarse).
 */
import betaln from "@stdlib/math-base-special-betaln";
import digamma from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import betaCdf from "@stdlib/stats-base-dists-beta-cdf";
import betaLogpdf from "@stdlib/stats-base-dists-beta-logpdf";
import binomialLogpmf from "@stdlib/stats-base-dists-binomial-logpmf";
import cauchyLogpdf from "@stdlib/stats-base-dists-cauchy-logpdf";
import exponentialLogpdf from "@stdlib/stats-base-dists-exponential-logpdf";
import gammaCdf from "@stdlib/stats-base-dists-gamma-cdf";
import gammaLogpdf from "@stdlib/stats-base-dists-gamma-logpdf";
import lognormalLogpdf from "@stdlib/stats-base-dists-lognormal-logpdf";
import negativeBinomialLogpmf from "@stdlib/stats-base-dists-negative-binomial-logpmf";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalLogpdf from "@stdlib/stats-base-dists-normal-logpdf";
import poissonLogpmf from "@stdlib/stats-base-dists-poisson-logpmf";
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tLogpdf from "@stdlib/stats-base-dists-t-logpdf";
import uniformLogpdf from "@stdlib/stats-base-dists-uniform-logpdf";
import weibullLogpdf from "@stdlib/stats-base-dists-weibull-logpdf";
import { expect } from "vitest";
import type { Dist, Family } from "../../src/dsl/distribution.ts";
import type { Operand, Tensor } from "../../src/dsl/tensor.ts";
import { constructors, type Distributions } from "../../src/distributions/index.ts";
import { numTensor } from "../../src/numeric/ops.ts";
import type { Numeric, Shape } from "../../src/tensor/shape.ts";
import { column, expectMoments, ksCritical, ksStatistic, m, N, shapeOf, type Tol, valuesOf, Z, zScore } from "./helpers.ts";

/** A constructor of the modelling algebra (`normal`, `lkjCholesky`, …). */
export type Ctor = keyof Distributions;
type Args<K extends Ctor> = Parameters<Distributions[K]>;
/** A value of any rank: a number or nested arrays of numbers. */
export type Nested = number | readonly Nested[];

/** Lifts plain numbers as the numeric interpreter does. */
const lift = (x: Operand): Tensor => (typeof x === "number" || Array.isArray(x) ? m.constant(x as Numeric) : (x as Tensor));
/** The constructors over the numeric interpreter (also builds mixture components in rows). */
export const d: Distributions = constructors(lift);

/** What the sampling test compares a row's draws with. */
export type Gof =
  /** Kolmogorov–Smirnov against a continuous CDF. */
  | { readonly kind: "ks"; readonly cdf: (x: number) => number; readonly shape?: Shape }
  /** Pearson's chi-square against a pmf on 0 … hi (tails pooled). */
  | { readonly kind: "chi2"; readonly pmf: (k: number) => number; readonly hi: number; readonly shape?: Shape }
  /** z-tests of each coordinate's mean and each pair's covariance (draws of one event of length mean.length). */
  | { readonly kind: "moments"; readonly mean: number[]; readonly cov: number[][]; readonly shape?: Shape }
  /** Checks of the row's own. */
  | { readonly kind: "custom"; readonly what: string; readonly check: (draws: Float64Array) => void; readonly shape?: Shape };

/** A chi-square test's spec: its pmf is the row's reference log mass, exponentiated. */
type GofSpec = Gof | { readonly kind: "chi2"; readonly hi: number; readonly shape?: Shape };

/** KS against `cdf`. */
const ks = (cdf: (x: number) => number): GofSpec => ({ kind: "ks", cdf });
/** Chi-square against the row's reference pmf on 0 … hi. */
const chi2 = (hi: number): GofSpec => ({ kind: "chi2", hi });
/** z-tests of mean and covariance. */
const moments = (mean: number[], cov: number[][]): GofSpec => ({ kind: "moments", mean, cov });
/** A row's own checks, over draws of `shape` (default [N]). */
const custom = (what: string, check: (draws: Float64Array) => void, shape?: Shape): GofSpec => ({ kind: "custom", what, check, shape });

interface Spec<A, X> {
  /** Values to evaluate the log density at, stacked along a new first axis into one call. */
  readonly xs: readonly X[];
  /** The reference log density at xs[i] (i for rows whose parameters vary along the batch). */
  readonly ref: (x: X, args: A, i: number) => number;
  /** Tolerance of the log-prob check, one for all values or one per value; default rtol 1e-9. */
  readonly tol?: Tol | readonly Tol[];
  /** Batch shape of the parameters (default []). */
  readonly batch?: Shape;
  /** Event shape (default []). */
  readonly event?: Shape;
  /** Why this row's derivatives are not checked (absent: they are). */
  readonly noGradient?: string;
  /**
   * Reference derivatives ∂/∂param of Σᵢ log p(xs[i]) for scalar parameters,
   * checked instead of central differences for those parameters.
   */
  readonly dref?: { readonly [param: string]: (args: A) => number };
  /** What the sampling test compares draws with (absent: the row is not sampled). */
  readonly gof?: (args: A) => GofSpec;
  /** Tells rows with equal arguments apart in test names. */
  readonly note?: string;
}

/** One row of the table, built. */
export interface Case {
  /** The test name: constructor and arguments. */
  readonly name: string;
  readonly ctor: Ctor;
  readonly family: Family;
  /** Parameters as the constructor lifted them (numeric tensors), by the family's names. */
  readonly params: Readonly<Record<string, Tensor>>;
  readonly xs: readonly Nested[];
  /** xs stacked: shape [xs.length, ...event]. */
  readonly x: Tensor;
  /** The reference log density at xs[i]. */
  readonly ref: (i: number) => number;
  /** The tolerance at xs[i]. */
  readonly tol: (i: number) => Tol;
  readonly batch: Shape;
  readonly event: Shape;
  /** True, or why the derivatives are not checked. */
  readonly gradient: true | string;
  /** Reference derivatives of Σ log p with respect to scalar parameters, by name. */
  readonly dref: Readonly<Record<string, number>>;
  readonly gof?: Gof;
}

const DEFAULT_TOL: Tol = { rtol: 1e-9 };

function isDist(a: unknown): a is Dist {
  return typeof a === "object" && a !== null && "family" in a && "params" in a;
}

function showTensor(t: Tensor): string {
  const v = Array.from(valuesOf(t));
  return shapeOf(t).length === 0 ? String(v[0]) : JSON.stringify(v);
}

function show(a: unknown): string {
  if (isDist(a)) return `${a.family.name}(${Object.values(a.params).map(showTensor).join(", ")})`;
  if (Array.isArray(a) && a.some(isDist)) return `[${a.map(show).join(", ")}]`;
  return JSON.stringify(a);
}

/** Nested arrays as row-major values and a shape; throws on ragged input. */
export function flatten(x: Nested): { values: Float64Array; shape: Shape } {
  if (typeof x === "number") return { values: Float64Array.of(x), shape: [] };
  const parts = x.map(flatten);
  const inner = parts.length > 0 ? parts[0].shape : [];
  for (const p of parts) if (JSON.stringify(p.shape) !== JSON.stringify(inner)) throw new Error("ragged value in the table");
  const values = new Float64Array(parts.reduce((n, p) => n + p.values.length, 0));
  let at = 0;
  for (const p of parts) {
    values.set(p.values, at);
    at += p.values.length;
  }
  return { values, shape: [x.length, ...inner] };
}

/** A numeric tensor of nested arrays of any rank. */
export function tensor(x: Nested): Tensor {
  const { values, shape } = flatten(x);
  return numTensor(values, shape) as unknown as Tensor;
}

/** One row: `T("normal", [0, 1], { xs, ref })` is Normal(0, 1) checked at xs against ref. */
function T<K extends Ctor, A extends Args<K>, X extends Nested>(ctor: K, args: A, spec: Spec<A, X>): Case {
  const dist = (d[ctor] as unknown as (...a: readonly unknown[]) => Dist)(...args);
  const tols = spec.tol ?? DEFAULT_TOL;
  if (Array.isArray(tols) && tols.length !== spec.xs.length)
    throw new Error(`${ctor}: ${tols.length} tolerances for ${spec.xs.length} values`);
  const ref = (i: number) => spec.ref(spec.xs[i], args, i);
  const g = spec.gof?.(args);
  // KS and chi-square compare scalar draws with one distribution: rows without a batch.
  if ((g?.kind === "ks" || g?.kind === "chi2") && (spec.batch ?? []).length > 0)
    throw new Error(`${ctor}: a ${g.kind} test needs a row without a batch`);
  const gof: Gof | undefined =
    g !== undefined && g.kind === "chi2" && !("pmf" in g)
      ? { ...g, pmf: (k: number) => Math.exp(spec.ref(k as X, args, 0)) }
      : (g as Gof | undefined);
  return {
    name: `${ctor}(${args.map(show).join(", ")})${spec.note === undefined ? "" : ` ${spec.note}`}`,
    ctor,
    family: dist.family,
    params: dist.params,
    xs: spec.xs,
    x: tensor(spec.xs),
    ref,
    tol: (i) => (Array.isArray(tols) ? tols[i] : (tols as Tol)),
    batch: spec.batch ?? [],
    event: spec.event ?? [],
    gradient: spec.noGradient ?? true,
    dref: Object.fromEntries(Object.entries(spec.dref ?? {}).map(([k, f]) => [k, f(args)])),
    gof,
  };
}

// ---------------------------------------------------------------- references

const LN2 = Math.LN2;
const invLogit = (a: number) => 1 / (1 + Math.exp(-a));
// log inv_logit(±a) without forming the probability, for extreme logits.
const logSigmoid = (a: number) => (a > 0 ? -Math.log1p(Math.exp(-a)) : a - Math.log1p(Math.exp(a)));
/** log t_ν((x − loc)/scale) − log scale. */
const tLoc = (x: number, nu: number, loc: number, scale: number) => tLogpdf((x - loc) / scale, nu) - Math.log(scale);
/** 1/X ~ Gamma(α, rate β), so p(x) = Gamma(1/x) / x². */
const invGammaRef = (x: number, shape: number, scale: number) => gammaLogpdf(1 / x, shape, scale) - 2 * Math.log(x);
const laplaceRef = (x: number, loc: number, scale: number) => -Math.log(2 * scale) - Math.abs(x - loc) / scale;
const laplaceCdf = (x: number, loc: number, scale: number) =>
  x < loc ? 0.5 * Math.exp((x - loc) / scale) : 1 - 0.5 * Math.exp(-(x - loc) / scale);
const logisticRef = (x: number, loc: number, scale: number) => {
  const z = (x - loc) / scale;
  return Math.log(Math.exp(-z) / (scale * (1 + Math.exp(-z)) ** 2));
};
const weibullCdf = (x: number, shape: number, scale: number) => 1 - Math.exp(-((x / scale) ** shape));
// neg_binomial_2(μ, φ) is stdlib's (r, p) = (φ, φ / (μ + φ)).
const negBinRef = (x: number, mu: number, phi: number) => negativeBinomialLogpmf(x, phi, phi / (mu + phi));
/** Σ over values of f. */
const sum = (xs: readonly number[], f: (x: number) => number) => xs.reduce((s, x) => s + f(x), 0);
const logSumExp = (xs: number[]) => {
  const top = Math.max(...xs);
  return top + Math.log(xs.reduce((s, v) => s + Math.exp(v - top), 0));
};

const dirichletRef = (x: readonly number[], a: readonly number[]) =>
  gammaln(a.reduce((s, v) => s + v, 0)) - a.reduce((s, v) => s + gammaln(v), 0) + x.reduce((s, v, i) => s + (a[i] - 1) * Math.log(v), 0);

// Explicit 2×2 inverse and determinant.
const mvn2 = (x: readonly number[], mu: readonly number[], s: readonly (readonly number[])[]) => {
  const det = s[0][0] * s[1][1] - s[0][1] * s[1][0];
  const d0 = x[0] - mu[0];
  const d1 = x[1] - mu[1];
  const quad = (s[1][1] * d0 * d0 - 2 * s[0][1] * d0 * d1 + s[0][0] * d1 * d1) / det;
  return -0.5 * quad - 0.5 * Math.log(det) - Math.log(2 * Math.PI);
};
/** L Lᵀ of a 2×2 lower factor. */
const outer2 = (l: readonly (readonly number[])[]) => [
  [l[0][0] ** 2, l[0][0] * l[1][0]],
  [l[0][0] * l[1][0], l[1][0] ** 2 + l[1][1] ** 2],
];
const cov2 = [
  [2, 0.6],
  [0.6, 1],
];
const chol2 = [
  [Math.sqrt(2), 0],
  [0.6 / Math.sqrt(2), Math.sqrt(1 - 0.18)],
];

// The vine form of the LKJ normalizing constant (Lewandowski, Kurowicka and Joe 2009, eq. 16):
// c = 2^Σₖ(2η−2+K−k)(K−k) · Πₖ B(η + (K−k−1)/2, η + (K−k−1)/2)^(K−k), k = 1 … K−1.
const lkjLogC = (eta: number, k: number) => {
  let c = 0;
  for (let i = 1; i < k; i++) {
    const b = eta + (k - i - 1) / 2;
    c += (2 * eta - 2 + k - i) * (k - i) * Math.LN2 + (k - i) * betaln(b, b);
  }
  return c;
};
// log p(L) = −log c + (η − 1) log det(LLᵀ) + log Jacobian of L ↦ LLᵀ (Σᵢ (K − i) log Lᵢᵢ).
const lkjRef = (l: readonly (readonly number[])[], eta: number) => {
  const k = l.length;
  let s = -lkjLogC(eta, k);
  for (let i = 1; i < k; i++) s += (2 * (eta - 1) + (k - 1 - i)) * Math.log(l[i][i]);
  return s;
};
/** A Cholesky factor of a correlation matrix from rows of free entries. */
const factor = (rows: number[][]) =>
  rows.map((free, i) => {
    const row = new Array<number>(rows.length).fill(0);
    free.forEach((v, j) => (row[j] = v));
    row[i] = Math.sqrt(1 - free.reduce((a, v) => a + v * v, 0));
    return row;
  });
const l2 = factor([[], [0.6]]);
const l3 = factor([[], [0.3], [-0.5, 0.4]]);
const l4 = factor([[], [0.1], [0.2, -0.6], [0.5, 0.1, 0.3]]);
/** K = 2: r = L₂₁ with (r + 1)/2 ~ Beta(η, η). */
const lkj2Ref = (l: readonly (readonly number[])[], eta: number) => betaLogpdf((l[1][0] + 1) / 2, eta, eta) - Math.LN2;

const walkRef = (x: readonly number[], scale: number) => x.reduce((acc, v, t) => acc + normalLogpdf(v, t === 0 ? 0 : x[t - 1], scale), 0);

const diagonalScales = [1e-4, 2, 1e3];

/** The rows of a categorical with probabilities p: log p[x], −∞ outside 0 … K−1. */
const logAt = (p: readonly number[], x: number) => Math.log(p[x] ?? 0);

// ------------------------------------------------------------------- the table

const edge = "an edge of the parameter or value space, where central differences with h = 1e-6 are not meaningful";
const outside = "a value outside the support (or a probability of 0 or 1): the density there is −∞";

/** Scalar continuous families. */
const CONTINUOUS: Case[] = [
  T("normal", [0, 1], { xs: [0, 1, -3, 40], ref: (x, [loc, scale]) => normalLogpdf(x, loc, scale) }),
  T("normal", [2, 1e-8], { xs: [2, 2 + 1e-8, 2 - 3e-8], ref: (x, [loc, scale]) => normalLogpdf(x, loc, scale), noGradient: edge }),
  T("normal", [-5, 1e8], { xs: [0, 1e9, -5], ref: (x, [loc, scale]) => normalLogpdf(x, loc, scale) }),
  T("normal", [0.5, 1.7], { xs: [0.3, -2], ref: (x, [loc, scale]) => normalLogpdf(x, loc, scale) }),
  T("normal", [1, 2], {
    xs: [1, -3],
    ref: (x, [loc, scale]) => normalLogpdf(x, loc, scale),
    gof: ([loc, scale]) => ks((x) => normalCdf(x, loc, scale)),
  }),
  T("normal", [[0, 0, 1], 2], {
    xs: [0, 1, 2],
    ref: (x, [loc, scale], i) => normalLogpdf(x, loc[i], scale),
    tol: { digits: 12 },
    batch: [3],
    note: "(vector parameters against a vector of values)",
  }),
  T("halfNormal", [2], {
    xs: [0, 0.5, 10],
    ref: (x, [scale]) => normalLogpdf(x, 0, scale) + LN2,
    gof: ([scale]) => ks((x) => 2 * normalCdf(x, 0, scale) - 1),
  }),
  T("halfNormal", [1e-6], { xs: [0, 1e-6, 5e-6], ref: (x, [scale]) => normalLogpdf(x, 0, scale) + LN2, noGradient: edge }),
  T("cauchy", [1, 0.5], {
    xs: [1, -3, 1e6],
    ref: (x, [loc, scale]) => cauchyLogpdf(x, loc, scale),
    gof: ([loc, scale]) => ks((x) => 0.5 + Math.atan((x - loc) / scale) / Math.PI),
  }),
  T("cauchy", [0, 1e7], { xs: [0, 1e7, -1e10], ref: (x, [loc, scale]) => cauchyLogpdf(x, loc, scale) }),
  T("cauchy", [0.5, 1.7], { xs: [0.3, 4], ref: (x, [loc, scale]) => cauchyLogpdf(x, loc, scale) }),
  T("halfCauchy", [3], {
    xs: [0, 3, 1e5],
    ref: (x, [scale]) => cauchyLogpdf(x, 0, scale) + LN2,
    gof: ([scale]) => ks((x) => (2 / Math.PI) * Math.atan(x / scale)),
  }),
  T("studentT", [3, 1, 2], {
    xs: [1, -4, 100],
    ref: (x, [nu, loc, scale]) => tLoc(x, nu, loc, scale),
    gof: ([nu, loc, scale]) => ks((x) => tCdf((x - loc) / scale, nu)),
  }),
  T("studentT", [0.5, 0, 1], { xs: [0, 10, -1e4], ref: (x, [nu, loc, scale]) => tLoc(x, nu, loc, scale) }),
  T("studentT", [1e6, 0, 1], { xs: [0, 2, -5], ref: (x, [nu, loc, scale]) => tLoc(x, nu, loc, scale), noGradient: edge }),
  T("studentT", [3.5, 0.5, 1.7], { xs: [0.3, -2], ref: (x, [nu, loc, scale]) => tLoc(x, nu, loc, scale) }),
  T("studentT", [0.8, 0, 1], {
    xs: [0, 3],
    ref: (x, [nu, loc, scale]) => tLoc(x, nu, loc, scale),
    gof: ([nu]) => ks((x) => tCdf(x, nu)),
  }),
  T("halfStudentT", [4, 1.5], {
    xs: [0, 1, 30],
    ref: (x, [nu, scale]) => tLoc(x, nu, 0, scale) + LN2,
    gof: ([nu, scale]) => ks((x) => 2 * tCdf(x / scale, nu) - 1),
  }),
  T("halfStudentT", [3.5, 1.7], { xs: [0.3, 2], ref: (x, [nu, scale]) => tLoc(x, nu, 0, scale) + LN2 }),
  T("exponential", [2], {
    xs: [0, 0.1, 50],
    ref: (x, [rate]) => exponentialLogpdf(x, rate),
    gof: ([rate]) => ks((x) => 1 - Math.exp(-rate * x)),
  }),
  T("exponential", [1e-6], { xs: [0, 1e6], ref: (x, [rate]) => exponentialLogpdf(x, rate), noGradient: edge }),
  T("exponential", [1e6], { xs: [0, 1e-6], ref: (x, [rate]) => exponentialLogpdf(x, rate) }),
  T("gamma", [2, 0.5], {
    xs: [1e-10, 1, 40],
    ref: (x, [shape, rate]) => gammaLogpdf(x, shape, rate),
    gof: ([shape, rate]) => ks((x) => gammaCdf(x, shape, rate)),
    noGradient: edge,
  }),
  T("gamma", [0.1, 3], { xs: [1e-12, 0.01, 5], ref: (x, [shape, rate]) => gammaLogpdf(x, shape, rate), noGradient: edge }),
  T("gamma", [1e3, 1e3], { xs: [0.9, 1, 1.1], ref: (x, [shape, rate]) => gammaLogpdf(x, shape, rate) }),
  T("gamma", [2.5, 1.5], { xs: [0.3, 2], ref: (x, [shape, rate]) => gammaLogpdf(x, shape, rate) }),
  T("gamma", [0.3, 2], {
    xs: [0.01, 1],
    ref: (x, [shape, rate]) => gammaLogpdf(x, shape, rate),
    gof: ([shape, rate]) => ks((x) => gammaCdf(x, shape, rate)),
  }),
  T("inverseGamma", [3, 2], {
    xs: [0.01, 1, 100],
    ref: (x, [shape, scale]) => invGammaRef(x, shape, scale),
    gof: ([shape, scale]) => ks((x) => 1 - gammaCdf(1 / x, shape, scale)),
  }),
  T("inverseGamma", [0.5, 1e-3], { xs: [1e-4, 1, 1e6], ref: (x, [shape, scale]) => invGammaRef(x, shape, scale), noGradient: edge }),
  T("inverseGamma", [2.5, 1.5], { xs: [0.3, 2], ref: (x, [shape, scale]) => invGammaRef(x, shape, scale) }),
  T("beta", [2, 3], {
    xs: [1e-10, 0.3, 1 - 1e-10],
    ref: (x, [a, b]) => betaLogpdf(x, a, b),
    gof: ([a, b]) => ks((x) => betaCdf(x, a, b)),
    noGradient: edge,
  }),
  T("beta", [0.3, 0.7], {
    xs: [1e-12, 0.5, 0.999999],
    ref: (x, [a, b]) => betaLogpdf(x, a, b),
    gof: ([a, b]) => ks((x) => betaCdf(x, a, b)),
    noGradient: edge,
  }),
  T("beta", [500, 500], { xs: [0.45, 0.5], ref: (x, [a, b]) => betaLogpdf(x, a, b), dref: betaDerivatives([0.45, 0.5]) }),
  T("beta", [2.5, 0.7], { xs: [0.3, 0.9], ref: (x, [a, b]) => betaLogpdf(x, a, b) }),
  // Large parameters: the binomial sampler's reduction draws these.
  T("beta", [5001, 5000], {
    xs: [0.5, 0.49],
    ref: (x, [a, b]) => betaLogpdf(x, a, b),
    dref: betaDerivatives([0.5, 0.49]),
    gof: ([a, b]) => ks((x) => betaCdf(x, a, b)),
  }),
  T("uniform", [-1, 3], {
    xs: [-1, 0, 3],
    ref: (x, [lower, upper]) => uniformLogpdf(x, lower, upper),
    gof: ([lower, upper]) => ks((x) => (x - lower) / (upper - lower)),
    noGradient: "values at the bounds, where the density jumps to −∞",
  }),
  T("uniform", [1e-9, 2e-9], { xs: [1e-9, 1.5e-9, 2e-9], ref: (x, [lower, upper]) => uniformLogpdf(x, lower, upper), noGradient: edge }),
  T("uniform", [0, 1], { xs: [-1e-3, 1.5, -1e6], ref: () => -Infinity, noGradient: outside }),
  T("uniform", [-0.5, 1.25], { xs: [0.3, 0.9], ref: (x, [lower, upper]) => uniformLogpdf(x, lower, upper) }),
  T(
    "uniform",
    [
      [0, 0.6, 0.5],
      [1, 1, 0.75],
    ],
    {
      xs: [0.5, 0.5, 0.5],
      ref: (x, [lower, upper], i) => uniformLogpdf(x, lower[i], upper[i]),
      tol: { digits: 14 },
      batch: [3],
      noGradient: outside,
      note: "(bounds that vary per element)",
    },
  ),
  T("logNormal", [0.5, 0.8], {
    xs: [1e-8, 1, 1e4],
    ref: (x, [mu, sigma]) => lognormalLogpdf(x, mu, sigma),
    gof: ([mu, sigma]) => ks((x) => normalCdf(Math.log(x), mu, sigma)),
    noGradient: edge,
  }),
  T("logNormal", [-3, 1e-5], {
    xs: [Math.exp(-3), Math.exp(-3 + 2e-5)],
    ref: (x, [mu, sigma]) => lognormalLogpdf(x, mu, sigma),
    noGradient: edge,
  }),
  T("logNormal", [0.2, 0.8], { xs: [0.3, 2], ref: (x, [mu, sigma]) => lognormalLogpdf(x, mu, sigma) }),
  T("laplace", [1, 2], {
    xs: [1, -5, 1e3],
    ref: (x, [loc, scale]) => laplaceRef(x, loc, scale),
    gof: ([loc, scale]) => ks((x) => laplaceCdf(x, loc, scale)),
  }),
  T("laplace", [0, 1e-7], { xs: [0, 3e-7], ref: (x, [loc, scale]) => laplaceRef(x, loc, scale), noGradient: edge }),
  T("laplace", [0.5, 1.7], { xs: [0.3, -2], ref: (x, [loc, scale]) => laplaceRef(x, loc, scale) }),
  T("logistic", [1, 2], {
    xs: [1, -10, 40],
    ref: (x, [loc, scale]) => logisticRef(x, loc, scale),
    gof: ([loc, scale]) => ks((x) => 1 / (1 + Math.exp(-(x - loc) / scale))),
  }),
  // Far tails: log density ≈ −|z| − log scale (the naive form overflows there).
  T("logistic", [0, 1], { xs: [800, -800], ref: (x) => -Math.abs(x), note: "(far tails)" }),
  T("logistic", [0.5, 1.7], { xs: [0.3, -2], ref: (x, [loc, scale]) => logisticRef(x, loc, scale) }),
  T("weibull", [1.5, 2], {
    xs: [1e-9, 1, 10],
    ref: (x, [shape, scale]) => weibullLogpdf(x, shape, scale),
    gof: ([shape, scale]) => ks((x) => weibullCdf(x, shape, scale)),
    noGradient: edge,
  }),
  T("weibull", [0.5, 1e-3], { xs: [1e-6, 1e-3, 1], ref: (x, [shape, scale]) => weibullLogpdf(x, shape, scale), noGradient: edge }),
  T("weibull", [20, 1e3], { xs: [900, 1000, 1050], ref: (x, [shape, scale]) => weibullLogpdf(x, shape, scale) }),
  T("weibull", [1.5, 1.2], { xs: [0.3, 2], ref: (x, [shape, scale]) => weibullLogpdf(x, shape, scale) }),
  T("weibull", [0.4, 0.1], {
    xs: [0.05, 1],
    ref: (x, [shape, scale]) => weibullLogpdf(x, shape, scale),
    gof: ([shape, scale]) => ks((x) => weibullCdf(x, shape, scale)),
  }),
  T("flat", [], { xs: [1, 2, 3], ref: () => 0, tol: "exact" }),
  T("halfFlat", [], { xs: [1, 2, 3], ref: () => 0, tol: "exact" }),
];

/** Discrete families. */
const DISCRETE: Case[] = [
  T("bernoulli", [0.3], { xs: [0, 1], ref: (x, [p]) => Math.log(x === 1 ? p : 1 - p), gof: () => chi2(1) }),
  T("bernoulli", [0], { xs: [0, 1], ref: (x) => (x === 0 ? 0 : -Infinity), noGradient: outside }),
  T("bernoulli", [1], { xs: [0, 1], ref: (x) => (x === 1 ? 0 : -Infinity), noGradient: outside }),
  T("bernoulli", [[0.2, 0.9]], { xs: [0, 1], ref: (x, [p], i) => Math.log(x === 1 ? p[i] : 1 - p[i]), batch: [2] }),
  T("bernoulliLogit", [0.7], { xs: [0, 1], ref: (x, [a]) => logSigmoid(x === 1 ? a : -a) }),
  T("bernoulliLogit", [-40], { xs: [0, 1], ref: (x, [a]) => logSigmoid(x === 1 ? a : -a) }),
  T("bernoulliLogit", [40], { xs: [0, 1], ref: (x, [a]) => logSigmoid(x === 1 ? a : -a) }),
  T("bernoulliLogit", [[0.4, -1.2]], { xs: [0, 1], ref: (x, [a], i) => logSigmoid(x === 1 ? a[i] : -a[i]), batch: [2] }),
  T("bernoulliLogit", [-0.5], { xs: [0, 1], ref: (x, [a]) => Math.log(x === 1 ? invLogit(a) : 1 - invLogit(a)), gof: () => chi2(1) }),
  T("binomial", [10, 0.3], { xs: [0, 3, 10], ref: (x, [n, p]) => binomialLogpmf(x, n, p), gof: () => chi2(10) }),
  T("binomial", [1000, 1e-4], {
    xs: [0, 1, 7],
    ref: (x, [n, p]) => binomialLogpmf(x, n, p),
    dref: { p: ([n, p]) => sum([0, 1, 7], (x) => x / p - (n - x) / (1 - p)) },
  }),
  T("binomial", [5, 0], { xs: [0, 1], ref: (x) => (x === 0 ? 0 : -Infinity), noGradient: outside }),
  T("binomial", [5, 1], { xs: [5, 4], ref: (x) => (x === 5 ? 0 : -Infinity), noGradient: outside }),
  T("binomial", [0, 0.4], { xs: [0], ref: () => 0 }),
  T("binomial", [4, 0.5], { xs: [5], ref: () => -Infinity, noGradient: outside }),
  T("binomial", [10, [0.3, 0.5, 0.8]], { xs: [0, 3, 10], ref: (x, [n, p], i) => binomialLogpmf(x, n, p[i]), batch: [3] }),
  // Means ≥ 10 go through the order-statistic reduction (stdlib's own large-mean path is biased).
  T("binomial", [200, 0.9], { xs: [180, 200], ref: (x, [n, p]) => binomialLogpmf(x, n, p), gof: () => chi2(200) }),
  T("binomial", [100000, 0.4], {
    xs: [40000, 39000],
    ref: (x, [n, p]) => binomialLogpmf(x, n, p),
    gof: () => chi2(100000),
    dref: { p: ([n, p]) => sum([40000, 39000], (x) => x / p - (n - x) / (1 - p)) },
  }),
  T("binomialLogit", [12, -0.4], { xs: [0, 5, 12], ref: (x, [n, a]) => binomialLogpmf(x, n, invLogit(a)) }),
  T("binomialLogit", [3, 50], {
    xs: [3, 2],
    ref: (x, [n, a]) => binomialLogpmf(x, n, 0.5) + n * Math.log(2) + x * logSigmoid(a) + (n - x) * logSigmoid(-a),
  }),
  T("binomialLogit", [20, 1], { xs: [0, 14], ref: (x, [n, a]) => binomialLogpmf(x, n, invLogit(a)), gof: () => chi2(20) }),
  T("poisson", [3.5], { xs: [0, 2, 30], ref: (x, [rate]) => poissonLogpmf(x, rate), gof: () => chi2(40) }),
  T("poisson", [0], { xs: [0, 1], ref: (x) => (x === 0 ? 0 : -Infinity), noGradient: outside }),
  T("poisson", [1e6], {
    xs: [1e6, 999000],
    ref: (x, [rate]) => poissonLogpmf(x, rate),
    dref: { rate: ([rate]) => sum([1e6, 999000], (x) => x / rate - 1) },
  }),
  T("poisson", [1e-8], {
    xs: [0, 1],
    ref: (x, [rate]) => poissonLogpmf(x, rate),
    dref: { rate: ([rate]) => sum([0, 1], (x) => x / rate - 1) },
  }),
  T("poisson", [[0.5, 3]], { xs: [0, 4], ref: (x, [rate], i) => poissonLogpmf(x, rate[i]), batch: [2] }),
  T("poisson", [150], { xs: [150, 120], ref: (x, [rate]) => poissonLogpmf(x, rate), gof: () => chi2(300) }),
  T("poisson", [5000], {
    xs: [5000, 4900],
    ref: (x, [rate]) => poissonLogpmf(x, rate),
    gof: () => chi2(6000),
    dref: { rate: ([rate]) => sum([5000, 4900], (x) => x / rate - 1) },
  }),
  T("poissonLog", [1.2], { xs: [0, 3, 20], ref: (x, [logRate]) => poissonLogpmf(x, Math.exp(logRate)), gof: () => chi2(40) }),
  T("poissonLog", [-20], { xs: [0, 1], ref: (x, [logRate]) => poissonLogpmf(x, Math.exp(logRate)) }),
  T("negativeBinomial", [4, 2], { xs: [0, 3, 40], ref: (x, [mu, phi]) => negBinRef(x, mu, phi), gof: () => chi2(100) }),
  T("negativeBinomial", [0.5, 0.01], {
    xs: [0, 1, 100],
    ref: (x, [mu, phi]) => negBinRef(x, mu, phi),
    dref: negBinDerivatives([0, 1, 100]),
  }),
  T("negativeBinomial", [20, 1e4], {
    xs: [0, 20, 35],
    ref: (x, [mu, phi]) => negBinRef(x, mu, phi),
    // stdlib computes neg_binomial from (r, p), which loses digits when p ≈ 1.
    tol: { rtol: 1e-7 },
    dref: negBinDerivatives([0, 20, 35]),
  }),
  T(
    "negativeBinomial",
    [
      [2, 5],
      [0.7, 3],
    ],
    { xs: [0, 7], ref: (x, [mu, phi], i) => negBinRef(x, mu[i], phi[i]), batch: [2] },
  ),
  T("negativeBinomial", [50, 0.5], { xs: [0, 50], ref: (x, [mu, phi]) => negBinRef(x, mu, phi), gof: () => chi2(2000) }),
  T("categorical", [[0.2, 0.5, 0.3]], {
    xs: [0, 1, 2, 3],
    ref: (x, [p]) => logAt(p, x),
    tol: { digits: 14 },
    noGradient: outside,
  }),
  T("categorical", [[0, 1]], {
    xs: [1, 0],
    ref: (x, [p]) => logAt(p, x),
    tol: "exact",
    noGradient: outside,
    note: "(zero probabilities of values not observed)",
  }),
  T(
    "categorical",
    [
      [
        [0.2, 0.5, 0.3],
        [0.6, 0.3, 0.1],
      ],
    ],
    {
      xs: [2, 0],
      ref: (x, [p], i) => logAt(p[i], x),
      tol: { digits: 14 },
      batch: [2],
    },
  ),
  T("categorical", [[0.2, 0, 0.8]], { xs: [2, 0], ref: (x, [p]) => logAt(p, x) }),
  T("categorical", [[0.1, 0.6, 0, 0.3]], { xs: [0, 1, 3], ref: (x, [p]) => logAt(p, x), gof: () => chi2(3) }),
  T("categoricalLogit", [[1, -2, 0.5]], {
    xs: [0, 2, 1, 5],
    ref: (x, [l]) => (x < l.length ? l[x] - logSumExp(l) : -Infinity),
    tol: { digits: 13 },
    noGradient: outside,
  }),
  T("categoricalLogit", [[1000, -1000]], {
    xs: [0, 1],
    ref: (x, [l]) => (x === 0 ? 0 : l[1] - l[0]),
    tol: [{ digits: 12 }, { digits: 9 }],
    note: "(extreme logits)",
  }),
  T("categoricalLogit", [[0.2, -1, 0.8]], { xs: [2, 0], ref: (x, [l]) => l[x] - logSumExp(l) }),
  T("categoricalLogit", [[2, -1, 0.5]], { xs: [0, 1, 2], ref: (x, [l]) => l[x] - logSumExp(l), gof: () => chi2(2) }),
];

/** Families whose draws are vectors or matrices, and mixtures. */
const EVENT: Case[] = [
  T("dirichlet", [[1, 1, 1]], { xs: [[0.2, 0.3, 0.5]], ref: (x, [a]) => dirichletRef(x, a), tol: { rtol: 1e-10 }, event: [3] }),
  T("dirichlet", [[0.1, 2, 30]], { xs: [[0.2, 0.3, 0.5]], ref: (x, [a]) => dirichletRef(x, a), tol: { rtol: 1e-10 }, event: [3] }),
  T("dirichlet", [[0.5, 0.5, 0.5]], {
    xs: [[1e-12, 0.5, 0.5 - 1e-12]],
    ref: (x, [a]) => dirichletRef(x, a),
    tol: { rtol: 1e-10 },
    event: [3],
    noGradient: edge,
  }),
  // With two categories the Dirichlet is the beta density of the first coordinate.
  T("dirichlet", [[2.5, 0.7]], {
    xs: [
      [0.3, 0.7],
      [0.9, 0.1],
    ],
    ref: (x, [a]) => betaLogpdf(x[0], a[0], a[1]),
    tol: { digits: 11 },
    event: [2],
    note: "(two categories: the beta density)",
  }),
  T("dirichlet", [[0.5, 2, 3]], {
    xs: [[0.2, 0.3, 0.5]],
    ref: (x, [a]) => dirichletRef(x, a),
    tol: { rtol: 1e-10 },
    event: [3],
    gof: ([alpha]) => dirichletMoments(alpha),
  }),
  T("dirichlet", [[0.05, 0.1, 0.2]], {
    xs: [[0.01, 0.09, 0.9]],
    ref: (x, [a]) => dirichletRef(x, a),
    tol: { rtol: 1e-10 },
    event: [3],
    gof: ([alpha]) => dirichletMoments(alpha),
  }),
  // Two categories: the first coordinate is Beta(α₁, α₂), also for α < 1.
  T("dirichlet", [[2, 5]], { xs: [[0.3, 0.7]], ref: (x, [a]) => dirichletRef(x, a), event: [2], gof: ([alpha]) => dirichletBeta(alpha) }),
  T("dirichlet", [[0.05, 0.3]], {
    xs: [[0.3, 0.7]],
    ref: (x, [a]) => dirichletRef(x, a),
    event: [2],
    gof: ([alpha]) => dirichletBeta(alpha),
  }),
  T("mvNormal", [[1, -2], cov2], {
    xs: [
      [0.5, -1],
      [0, 0],
      [3, -1],
      [-2, 4],
      [2, 0],
    ],
    ref: (x, [mu, cov]) => mvn2(x, mu, cov),
    tol: { digits: 12 },
    event: [2],
    gof: ([mu, cov]) => moments(mu, cov),
  }),
  T(
    "mvNormal",
    [
      [
        [1, -2],
        [0, 0],
        [-1, 1],
      ],
      cov2,
    ],
    {
      xs: [
        [0, 0],
        [3, -1],
        [-2, 4],
      ],
      ref: (x, [mu, cov], i) => mvn2(x, mu[i], cov),
      tol: { digits: 12 },
      batch: [3],
      event: [2],
      note: "(one mean per row)",
    },
  ),
  T("mvNormal", [[0, 0, 0], diagonalScales.map((v, i, s) => s.map((_, j) => (i === j ? v * v : 0)))], {
    xs: [[1e-4, -1, 500]],
    // With a diagonal covariance the density is a sum of normal densities.
    ref: (x) => x.reduce((acc, xi, i) => acc + normalLogpdf(xi, 0, diagonalScales[i]), 0),
    tol: { rtol: 1e-10 },
    event: [3],
    noGradient: edge,
    note: "(diagonal, 3-d, tiny scale)",
  }),
  T(
    "mvNormal",
    [
      [
        [0, 0],
        [10, -10],
      ],
      cov2,
    ],
    {
      xs: [
        [0.5, 0.5],
        [9, -11],
      ],
      ref: (x, [mu, cov], i) => mvn2(x, mu[i], cov),
      tol: { digits: 12 },
      batch: [2],
      event: [2],
      gof: ([mu, cov]) =>
        custom(
          "z-tests of mean and covariance for each mean of the batch",
          (draws) => {
            // Draws [N/2, 2, 2]: rows alternate between the two means.
            const first = draws.filter((_, i) => Math.floor(i / 2) % 2 === 0);
            const second = draws.filter((_, i) => Math.floor(i / 2) % 2 === 1);
            expectMoments(first, 2, mu[0], cov);
            expectMoments(second, 2, mu[1], cov);
          },
          [N / 2, 2],
        ),
      note: "(a batch of means)",
    },
  ),
  T("mvNormalCholesky", [[1, -2], chol2], {
    xs: [
      [0, 0],
      [3, -1],
    ],
    ref: (x, [mu, l]) => mvn2(x, mu, outer2(l)),
    tol: { digits: 12 },
    event: [2],
    gof: ([mu, l]) => moments(mu, outer2(l)),
  }),
  T(
    "mvNormalCholesky",
    [
      [1, -2],
      [
        [1.2, 0],
        [0.3, 0.9],
      ],
    ],
    { xs: [[0.5, -1]], ref: (x, [mu, l]) => mvn2(x, mu, outer2(l)), tol: { digits: 12 }, event: [2] },
  ),
  ...[0.5, 1, 3].map((eta) =>
    T("lkjCholesky", [2, eta], { xs: [l2], ref: (x, [, e]) => lkj2Ref(x, e), tol: { digits: 12 }, event: [2, 2] }),
  ),
  ...[0.7, 4].map((eta) =>
    T("lkjCholesky", [2, eta], {
      xs: [l2, factor([[], [-0.3]])],
      ref: (x, [, e]) => lkj2Ref(x, e),
      tol: { digits: 12 },
      event: [2, 2],
      gof: ([, e]) =>
        custom("(L₂₁ + 1)/2 ~ Beta(η, η): KS test", (draws) => {
          expect(ksStatistic(column(draws, 4, 2), (x) => betaCdf((x + 1) / 2, e, e))).toBeLessThan(ksCritical(N));
        }),
    }),
  ),
  ...[
    [3, 1],
    [3, 0.5],
    [4, 1],
    [4, 10],
  ].map(([k, eta]) =>
    T("lkjCholesky", [k, eta], {
      xs: [k === 3 ? l3 : l4],
      ref: (x, [, e]) => lkjRef(x, e),
      tol: { rtol: 1e-11 },
      event: [k, k],
      note: "(vine-form constant)",
    }),
  ),
  T("lkjCholesky", [3, 2], {
    xs: [l3],
    ref: (x, [, e]) => lkjRef(x, e),
    tol: { rtol: 1e-11 },
    event: [3, 3],
    note: "(vine-form constant)",
    gof: ([, eta]) =>
      custom("unit rows, lower triangle, and r ~ scaled Beta(η + ½, η + ½)", (draws) => {
        const n = draws.length / 9;
        for (let r = 0; r < n; r++) {
          const l = draws.subarray(9 * r, 9 * r + 9);
          expect(l[1]).toBe(0);
          expect(l[2]).toBe(0);
          expect(l[5]).toBe(0);
          for (let i = 0; i < 3; i++) expect(Math.abs(l[3 * i] ** 2 + l[3 * i + 1] ** 2 + l[3 * i + 2] ** 2 - 1)).toBeLessThan(1e-12);
        }
        // Correlations Ω = L Lᵀ: Ω₂₁ = L₂₁, Ω₃₁ = L₃₁, Ω₃₂ = L₃₁L₂₁ + L₃₂L₂₂; each is 2B − 1 with
        // B ~ Beta(a, a), a = η + (K − 2)/2, so mean 0 and variance 1/(2a + 1).
        const a = eta + 0.5;
        const r21 = column(draws, 9, 3);
        const r31 = column(draws, 9, 6);
        const r32 = r21.map((v, i) => draws[9 * i + 6] * v + draws[9 * i + 7] * draws[9 * i + 4]);
        for (const r of [r21, r31, r32]) {
          expect(Math.abs(zScore(r, 0))).toBeLessThan(Z);
          expect(
            Math.abs(
              zScore(
                r.map((v) => v * v),
                1 / (2 * a + 1),
              ),
            ),
          ).toBeLessThan(Z);
        }
      }),
  }),
  T("lkjCholesky", [3, 1], {
    xs: [l3],
    // do_lkj_constant, η = 1, K odd: −Σₖ₌₁..(K−1)/2 lgamma(2k) − [¼(K²−1) log π − ¼(K−1)² log 2 − (K−1) lgamma((K+1)/2)].
    ref: (x, [k]) => {
      const c = -gammaln(2) - (0.25 * (k * k - 1) * Math.log(Math.PI) - 0.25 * (k - 1) ** 2 * Math.LN2 - (k - 1) * gammaln((k + 1) / 2));
      return c + Math.log(x[1][1]) * 1 + Math.log(x[2][2]) * 0;
    },
    tol: { digits: 12 },
    event: [3, 3],
    note: "(Stan's integer closed form of the constant)",
  }),
  T("lkjCholesky", [3, [0.5, 2]], { xs: [l3, l3], ref: (x, [, e], i) => lkjRef(x, e[i]), tol: { digits: 11 }, batch: [2], event: [3, 3] }),
  T("lkjCholesky", [3, 1.7], {
    xs: [
      [
        [1, 0, 0],
        [0.3, Math.sqrt(0.91), 0],
        [-0.5, 0.4, Math.sqrt(0.59)],
      ],
    ],
    ref: (x, [, e]) => lkjRef(x, e),
    tol: { rtol: 1e-11 },
    event: [3, 3],
  }),
  T("lkjCholesky", [1, 2], { xs: [[[1]]], ref: () => 0, tol: "exact", event: [1, 1], note: "(K = 1: one point)" }),
  T("gaussianRandomWalk", [0.7, 4], {
    xs: [[0.3, -0.2, 1.5, 1.4]],
    ref: (x, [scale]) => walkRef(x, scale),
    tol: { digits: 12 },
    event: [4],
  }),
  T("gaussianRandomWalk", [3, 1], { xs: [[2]], ref: (x, [scale]) => normalLogpdf(x[0], 0, scale), tol: { digits: 13 }, event: [1] }),
  T("gaussianRandomWalk", [[1, 1e-3], 3], {
    xs: [
      [1, 2, 3],
      [0, -1e-3, 2e-3],
    ],
    ref: (x, [scale], i) => walkRef(x, scale[i]),
    tol: [{ digits: 12 }, { digits: 10 }],
    batch: [2],
    event: [3],
    noGradient: edge,
  }),
  T("gaussianRandomWalk", [0.5, 4], {
    xs: [[0, 0.5, 0.2, -0.4]],
    ref: (x, [scale]) => walkRef(x, scale),
    tol: { digits: 12 },
    event: [4],
    // Mean 0 and Cov(xₛ, xₜ) = σ² (min(s, t) + 1).
    gof: ([sigma, steps]) =>
      moments(
        new Array<number>(steps).fill(0),
        Array.from({ length: steps }, (_, s) => Array.from({ length: steps }, (_, t) => sigma * sigma * (Math.min(s, t) + 1))),
      ),
  }),
  T(
    "mixture",
    [
      [0.3, 0.7],
      [d.normal(-1, 0.5), d.normal(2, 1)],
    ],
    {
      xs: [-1, 0.4, 5, -60, 0.3, -2],
      // At x = −60 both densities underflow; the second component dominates by e⁵⁰⁰⁰.
      ref: (x) => logSumExp([Math.log(0.3) + normalLogpdf(x, -1, 0.5), Math.log(0.7) + normalLogpdf(x, 2, 1)]),
      tol: [{ digits: 12 }, { digits: 12 }, { digits: 12 }, { digits: 9 }, { digits: 12 }, { digits: 12 }],
      gof: () => ks((x) => 0.3 * normalCdf(x, -1, 0.5) + 0.7 * normalCdf(x, 2, 1)),
    },
  ),
  T(
    "mixture",
    [
      [
        [1, 0],
        [0.5, 0.5],
      ],
      [d.normal(-1, 0.5), d.normal(2, 1)],
    ],
    {
      xs: [0, 0],
      ref: (x, [w], i) => Math.log(w[i][0] * Math.exp(normalLogpdf(x, -1, 0.5)) + w[i][1] * Math.exp(normalLogpdf(x, 2, 1))),
      tol: { digits: 12 },
      batch: [2],
      noGradient: "a weight of 0, whose log is −∞",
      note: "(one weight vector per element)",
    },
  ),
  // A zero-inflation-like Poisson mixture: discrete components.
  T(
    "mixture",
    [
      [0.4, 0.6],
      [d.poisson(0.1), d.poisson(4)],
    ],
    {
      xs: [0, 3],
      ref: (x) => Math.log(0.4 * Math.exp(poissonLogpmf(x, 0.1)) + 0.6 * Math.exp(poissonLogpmf(x, 4))),
      tol: { digits: 12 },
      gof: () => chi2(20),
    },
  ),
];

/** Dirichlet draws lie on the simplex and have the moments of Dirichlet(α). */
function dirichletMoments(alpha: readonly number[]): GofSpec {
  const a0 = alpha.reduce((s, v) => s + v, 0);
  const mean = alpha.map((a) => a / a0);
  const cov = alpha.map((ai, i) => alpha.map((aj, j) => ((i === j ? ai * a0 : 0) - ai * aj) / (a0 * a0 * (a0 + 1))));
  const k = alpha.length;
  return custom("draws sum to 1; z-tests of mean and covariance", (draws) => {
    for (let r = 0; r < draws.length; r += k) {
      let s = 0;
      for (let j = 0; j < k; j++) s += draws[r + j];
      expect(Math.abs(s - 1)).toBeLessThan(1e-12);
    }
    expectMoments(draws, k, mean, cov);
  });
}

/** With two categories the first coordinate is Beta(α₁, α₂): KS test. */
function dirichletBeta(alpha: readonly number[]): GofSpec {
  return custom("first coordinate ~ Beta(α₁, α₂): KS test", (draws) => {
    expect(ksStatistic(column(draws, 2, 0), (x) => betaCdf(x, alpha[0], alpha[1]))).toBeLessThan(ksCritical(N));
  });
}

/** ∂/∂a and ∂/∂b of Σ log Beta(x | a, b): log x − ψ(a) + ψ(a + b) and log(1 − x) − ψ(b) + ψ(a + b). */
function betaDerivatives(xs: readonly number[]): { [param: string]: (args: [number, number]) => number } {
  return {
    a: ([a, b]) => sum(xs, (x) => Math.log(x) - digamma(a) + digamma(a + b)),
    b: ([a, b]) => sum(xs, (x) => Math.log1p(-x) - digamma(b) + digamma(a + b)),
  };
}

/**
 * ∂/∂μ and ∂/∂φ of Σ log NB₂(x | μ, φ), with log NB₂ = log Γ(x + φ) − log Γ(x + 1) − log Γ(φ)
 * + x log μ + φ log φ − (x + φ) log(μ + φ): x/μ − (x + φ)/(μ + φ) and
 * ψ(x + φ) − ψ(φ) + log φ + 1 − log(μ + φ) − (x + φ)/(μ + φ).
 */
function negBinDerivatives(xs: readonly number[]): { [param: string]: (args: [number, number]) => number } {
  return {
    mu: ([mu, phi]) => sum(xs, (x) => x / mu - (x + phi) / (mu + phi)),
    phi: ([mu, phi]) => sum(xs, (x) => digamma(x + phi) - digamma(phi) + Math.log(phi) + 1 - Math.log(mu + phi) - (x + phi) / (mu + phi)),
  };
}

/** Every row. */
export const CASES: readonly Case[] = [...CONTINUOUS, ...DISCRETE, ...EVENT];
