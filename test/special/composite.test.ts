/**
 * The composite special functions on numberArith against independent
 * oracles: stdlib (fdlibm/Boost ports), V8's Math.log1p/expm1 (fdlibm),
 * sampo's own trigamma/tetragamma, and slow series written here (erf by a
 * 256-bit Taylor series; ψ, ψ₁, ψ₂ by the recurrence to x + 1000, which
 * needs no reflection). stdlib itself errs where noted: gammaln by up to
 * 3.1e-15 on [1, 1.25] and digamma near the negative poles (2e-2 relative at
 * −2 + 10⁻¹⁴), so those regions are checked against the series or mpmath.
 * Tolerances are ~4× the measured maximum, which is written beside each;
 * `SAMPO_MEASURE=1 npx vitest run test/special/composite.test.ts` prints
 * the measurements again.
 */
import gammaln from "@stdlib/math-base-special-gammaln";
import stdDigamma from "@stdlib/math-base-special-digamma";
import stdErf from "@stdlib/math-base-special-erf";
import stdTrigamma from "@stdlib/math-base-special-trigamma";
import { afterAll, describe, expect, it } from "vitest";
import {
  digamma,
  erf,
  expm1,
  lgamma,
  log1p,
  numberArith as N,
  sigmoid,
  softplus,
  tetragamma,
  trigamma,
} from "../../src/special/composite/index.ts";
import * as logistic from "../../src/special/logistic.ts";
import { tetragamma as srcTetragamma } from "../../src/special/tetragamma.ts";
import { trigamma as srcTrigamma } from "../../src/special/trigamma.ts";

const linspace = (lo: number, hi: number, n: number) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
const logspace = (lo: number, hi: number, n: number) => linspace(lo, hi, n).map((e) => 10 ** e);
/** Points c ± 10⁻ᵏ, k = 1 … 15. */
const around = (c: number) => logspace(-15, -1, 29).flatMap((d) => [c - d, c + d]);
/** (−40, 0) on a half-step grid that never hits an integer, and near the poles. */
const NEGATIVE = [
  ...Array.from({ length: 8000 }, (_, i) => -40 + (i + 0.5) * 0.005),
  ...[0, 1, 2, 5].flatMap((n) => logspace(-14, -2, 13).flatMap((d) => [-n - d, -n + d])).filter((x) => x < 0),
];
const NEGATIVE_LARGE = [...[2, 4, 6, 8, 10, 12, 14].map((k) => -(10 ** k + 0.25)), -(2 ** 52 + 0.5)];
const POSITIVE = [...linspace(1e-3, 30, 6000), ...logspace(-8, 1.5, 400)];
const MIN_NORMAL = 2.2250738585072014e-308;

type Metric = "mixed" | "rel" | "abs";
/** Error of `got` against `want`: mixed is absolute below 1 and relative above. */
function error(got: number, want: number, metric: Metric): number {
  if (!Number.isFinite(want) || !Number.isFinite(got))
    return Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)) ? 0 : Infinity;
  const scale = metric === "abs" ? 1 : metric === "mixed" ? Math.max(1, Math.abs(want)) : Math.max(Math.abs(want), MIN_NORMAL);
  return Math.abs(got - want) / scale;
}

const measured: Record<string, string> = {};
afterAll(() => {
  if (process.env.SAMPO_MEASURE) console.table(measured);
});

/** The worst error over `xs`, recorded for SAMPO_MEASURE. */
function worst(label: string, f: (x: number) => number, oracle: (x: number) => number, xs: readonly number[], metric: Metric) {
  let err = 0;
  let at = NaN;
  for (const x of xs) {
    const e = error(f(x), oracle(x), metric);
    if (!(e <= err)) [err, at] = [e, x];
  }
  measured[label] = `${err.toExponential(2)} at ${at}`;
  return { err, at };
}

interface Row {
  readonly name: string;
  readonly domain: string;
  readonly f: (x: number) => number;
  readonly oracle: (x: number) => number;
  readonly xs: readonly number[];
  readonly metric: Metric;
  /** ~4× the measured maximum (in the comment). */
  readonly tol: number;
}

const lg = (x: number) => lgamma(N, x);
const dg = (x: number) => digamma(N, x);
const tg = (x: number) => trigamma(N, x);
const qg = (x: number) => tetragamma(N, x);
const ef = (x: number) => erf(N, x);
const PSI_ROOT = 1.4616321449683622;

const ps = (m: 0 | 1 | 2) => (x: number) => polygammaSeries(m, x);
const EDGES = [0.84375, 1.25, 1 / 0.35, 6].flatMap((c) => [c, -c, ...around(c)]);
const TINY = logspace(-320, -1, 320).flatMap((x) => [x, -x]);
const LOG1P_XS = [
  ...logspace(-16, -0.001, 300).map((d) => -1 + d),
  ...logspace(-320, 300, 1000)
    .flatMap((x) => [x, -x])
    .filter((x) => x > -1),
  ...linspace(-0.99, 10, 5000),
];
const EXPM1_XS = [...logspace(-320, 2.85, 1000).flatMap((x) => [x, -x]), ...linspace(-50, 50, 4001), -800];
const TINY_LARGE = [...logspace(-300, -8, 147), ...logspace(1.5, 300, 500)];
const WIDE = [...linspace(-800, 800, 16001), ...logspace(-320, 2.9, 500).flatMap((x) => [x, -x])];

const ROWS: Row[] = [
  // measured 2.8e-15: stdlib's own error near 1.2; 1.4e-15 vs mpmath
  { name: "lgamma", domain: "(0, 30]", f: lg, oracle: gammaln, xs: POSITIVE, metric: "mixed", tol: 1e-14 },
  // measured 0
  {
    name: "lgamma",
    domain: "tiny",
    f: lg,
    oracle: gammaln,
    xs: [5e-324, 1e-310, ...logspace(-300, -8, 147)],
    metric: "mixed",
    tol: 4.4e-16,
  },
  // measured 8.7e-16
  { name: "lgamma", domain: "near 1, 2", f: lg, oracle: gammaln, xs: [...around(1), ...around(2)], metric: "mixed", tol: 3.5e-15 },
  // measured 2.8e-16
  { name: "lgamma", domain: "[30, 1e300]", f: lg, oracle: gammaln, xs: logspace(1.5, 300, 1000), metric: "mixed", tol: 1.1e-15 },
  // measured 2.8e-15 (stdlib's at −1.19; 2.1e-15 vs mpmath)
  { name: "lgamma", domain: "(−40, 0)", f: lg, oracle: gammaln, xs: [-5e-324, -1e-310, ...NEGATIVE], metric: "mixed", tol: 1.1e-14 },
  // measured 1.8e-16
  { name: "lgamma", domain: "≤ −100", f: lg, oracle: gammaln, xs: NEGATIVE_LARGE, metric: "mixed", tol: 7e-16 },
  // measured 8.5e-16
  { name: "digamma", domain: "(0, 30]", f: dg, oracle: stdDigamma, xs: POSITIVE, metric: "mixed", tol: 3.4e-15 },
  // measured 7.6e-16; the requirement, not 4×
  { name: "digamma", domain: "near the root", f: dg, oracle: stdDigamma, xs: around(PSI_ROOT), metric: "abs", tol: 1e-15 },
  // measured 2.1e-16
  { name: "digamma", domain: "tiny, large", f: dg, oracle: stdDigamma, xs: TINY_LARGE, metric: "mixed", tol: 8e-16 },
  // measured 2.4e-15, mostly the series' cancellation; 1.5e-15 vs mpmath
  { name: "digamma", domain: "(−40, 0) vs series", f: dg, oracle: ps(0), xs: NEGATIVE, metric: "mixed", tol: 1e-14 },
  // measured 1.4e-16
  { name: "digamma", domain: "≤ −100", f: dg, oracle: stdDigamma, xs: NEGATIVE_LARGE, metric: "mixed", tol: 5.5e-16 },
  // measured 5.4e-16
  { name: "trigamma", domain: "(0, 30]", f: tg, oracle: stdTrigamma, xs: POSITIVE, metric: "rel", tol: 2.2e-15 },
  // measured 5.6e-16
  { name: "trigamma", domain: "(0, 30] vs src", f: tg, oracle: srcTrigamma, xs: POSITIVE, metric: "rel", tol: 2.2e-15 },
  // measured 2.7e-16
  {
    name: "trigamma",
    domain: "tiny, large",
    f: tg,
    oracle: stdTrigamma,
    xs: TINY_LARGE.filter((x) => x > 1e-150),
    metric: "rel",
    tol: 1.1e-15,
  },
  // measured 6.4e-16
  { name: "trigamma", domain: "(−40, 0)", f: tg, oracle: stdTrigamma, xs: NEGATIVE, metric: "mixed", tol: 2.6e-15 },
  // measured 6.1e-16
  { name: "trigamma", domain: "(−40, 0) vs series", f: tg, oracle: ps(1), xs: NEGATIVE, metric: "mixed", tol: 2.5e-15 },
  // measured 8.9e-16
  { name: "tetragamma", domain: "(0, 30]", f: qg, oracle: srcTetragamma, xs: POSITIVE, metric: "rel", tol: 3.5e-15 },
  // measured 9.8e-16
  { name: "tetragamma", domain: "(0, 30] vs series", f: qg, oracle: ps(2), xs: POSITIVE, metric: "rel", tol: 3.9e-15 },
  // measured 4.3e-16
  {
    name: "tetragamma",
    domain: "tiny, large",
    f: qg,
    oracle: srcTetragamma,
    xs: TINY_LARGE.filter((x) => x > 1e-100 && x < 1e150),
    metric: "rel",
    tol: 1.7e-15,
  },
  // measured 2.9e-15, mostly the series' cancellation; 9.1e-16 vs mpmath
  { name: "tetragamma", domain: "(−40, 0) vs series", f: qg, oracle: ps(2), xs: NEGATIVE, metric: "mixed", tol: 1.2e-14 },
  // measured 1.1e-16
  { name: "erf", domain: "[−7, 7]", f: ef, oracle: stdErf, xs: linspace(-7, 7, 14001), metric: "abs", tol: 4.4e-16 },
  // measured 2.2e-16
  {
    name: "erf",
    domain: "|x| < 0.84375",
    f: ef,
    oracle: stdErf,
    xs: [...linspace(-0.84, 0.84, 1001), ...TINY],
    metric: "rel",
    tol: 8.9e-16,
  },
  // measured 0
  { name: "erf", domain: "piece edges", f: ef, oracle: stdErf, xs: EDGES, metric: "abs", tol: 2.2e-16 },
  // measured 1.1e-16
  { name: "erf", domain: "[−4, 4] vs series", f: ef, oracle: erfSeries, xs: linspace(-4, 4, 1025), metric: "abs", tol: 4.4e-16 },
  // measured 2.2e-16
  { name: "log1p", domain: "(−1, ∞)", f: (x) => log1p(N, x), oracle: Math.log1p, xs: LOG1P_XS, metric: "rel", tol: 8.9e-16 },
  // measured 2.4e-16
  { name: "expm1", domain: "[−800, 709]", f: (x) => expm1(N, x), oracle: Math.expm1, xs: EXPM1_XS, metric: "rel", tol: 9.6e-16 },
  // measured 2.2e-16
  { name: "softplus", domain: "[−800, 800]", f: (x) => softplus(N, x), oracle: logistic.softplus, xs: WIDE, metric: "rel", tol: 8.8e-16 },
  // measured 0: the formula of src/special/logistic.ts
  { name: "sigmoid", domain: "[−800, 800]", f: (x) => sigmoid(N, x), oracle: logistic.sigmoid, xs: WIDE, metric: "rel", tol: 2.2e-16 },
];

/** log|Γ(x)| by mpmath 1.3 at 200 bits, rounded to double, where stdlib is weakest. */
const LGAMMA_MPMATH: readonly (readonly [number, number])[] = [
  [1.05, -0.02685307250226019],
  [1.1, -0.049872441259839764],
  [1.15, -0.06930620867104685],
  [1.2, -0.08537409000331583],
  [1.23, -0.0934815108295696],
  [1.3, -0.10817480950786047],
  [-1.1925, 1.6164936588528647],
  [-0.2, 1.7614975908339379],
  [-2.5, -0.056243716497674054],
  [-5.0125, -0.42654869999657574],
  [1e-300, 690.7755278982137],
  [1e300, 6.897755278982137e302],
];

/** Exact values at poles, infinities and NaN: [function, x, value]. */
const SPECIAL: readonly (readonly [string, (x: number) => number, number, number])[] = [
  ["lgamma", lg, 0, Infinity],
  ["lgamma", lg, -0, Infinity],
  ["lgamma", lg, -3, Infinity],
  ["lgamma", lg, -1e20, Infinity],
  ["lgamma", lg, Infinity, Infinity],
  ["lgamma", lg, -Infinity, Infinity],
  ["lgamma", lg, 1, 0],
  ["lgamma", lg, 2, 0],
  ["lgamma", lg, NaN, NaN],
  ["digamma", dg, 0, NaN],
  ["digamma", dg, -4, NaN],
  ["digamma", dg, Infinity, Infinity],
  ["digamma", dg, NaN, NaN],
  ["trigamma", tg, 0, Infinity],
  ["trigamma", tg, -2, Infinity],
  ["trigamma", tg, Infinity, 0],
  ["trigamma", tg, NaN, NaN],
  ["tetragamma", qg, 0, NaN],
  ["tetragamma", qg, -1, NaN],
  ["tetragamma", qg, Infinity, 0],
  ["erf", ef, 0, 0],
  ["erf", ef, -0, -0],
  ["erf", ef, Infinity, 1],
  ["erf", ef, -Infinity, -1],
  ["erf", ef, NaN, NaN],
  ["log1p", (x) => log1p(N, x), -1, -Infinity],
  ["log1p", (x) => log1p(N, x), -2, NaN],
  ["log1p", (x) => log1p(N, x), Infinity, Infinity],
  ["log1p", (x) => log1p(N, x), NaN, NaN],
  ["expm1", (x) => expm1(N, x), -0, -0],
  ["expm1", (x) => expm1(N, x), -Infinity, -1],
  ["expm1", (x) => expm1(N, x), 710, Infinity],
  ["expm1", (x) => expm1(N, x), Infinity, Infinity],
  ["expm1", (x) => expm1(N, x), NaN, NaN],
  ["softplus", (x) => softplus(N, x), Infinity, Infinity],
  ["softplus", (x) => softplus(N, x), -Infinity, 0],
  ["softplus", (x) => softplus(N, x), NaN, NaN],
  ["sigmoid", (x) => sigmoid(N, x), Infinity, 1],
  ["sigmoid", (x) => sigmoid(N, x), -Infinity, 0],
  ["sigmoid", (x) => sigmoid(N, x), NaN, NaN],
];

describe("composite special functions (number arith)", () => {
  it.each(ROWS.map((r) => [`${r.name} on ${r.domain}`, r] as const))("%s", (label, r) => {
    const { err, at } = worst(label, r.f, r.oracle, r.xs, r.metric);
    expect(err, `worst at x = ${at}`).toBeLessThanOrEqual(r.tol);
  });

  it("lgamma matches mpmath where stdlib's gammaln is weakest", () => {
    const { err, at } = worst(
      "lgamma vs mpmath",
      lg,
      (x) => LGAMMA_MPMATH.find(([y]) => y === x)![1],
      LGAMMA_MPMATH.map(([x]) => x),
      "mixed",
    );
    expect(err, `worst at x = ${at}`).toBeLessThanOrEqual(1.5e-15); // measured 3.8e-16
  });

  it.each(SPECIAL)("%s(%s) = %s", (_, f, x, want) => {
    expect(f(x)).toBe(want);
  });
});

/** erf(x) for a dyadic x (≤ 60 fractional bits) by its Taylor series in 256-bit fixed point. */
function erfSeries(x: number): number {
  const P = 256n;
  const X = BigInt(x * 2 ** 60) << (P - 60n);
  const x2 = (X * X) >> P;
  let term = X;
  let sum = X;
  for (let n = 1n; term !== 0n && term !== -1n; n++) {
    term = -((term * x2) >> P) / n;
    sum += term / (2n * n + 1n);
  }
  // √π·2²⁵⁶ by Newton's method on π·2⁵¹² (π to 62 decimals).
  const piScaled = (314159265358979323846264338327950288419716939937510582097494459n << (2n * P)) / 10n ** 62n;
  let r = 1n << P;
  for (let i = 0; i < 400; i++) r = (r + piScaled / r) >> 1n;
  return Number((sum << (P + 1n)) / r) / 2 ** 256;
}

/**
 * ψₘ(x), m = 0, 1, 2, for x > −40: ψₘ(x + 1000) by its asymptotic series,
 * then the recurrence down to x with a compensated (Neumaier) sum. Slow, and
 * independent of reflection formulas.
 */
function polygammaSeries(m: 0 | 1 | 2, x: number): number {
  const K = 1000;
  const y = x + K;
  const r = 1 / y;
  const asym = [
    Math.log(y) - r / 2 - r ** 2 / 12 + r ** 4 / 120 - r ** 6 / 252,
    r + r ** 2 / 2 + r ** 3 / 6 - r ** 5 / 30 + r ** 7 / 42,
    -(r ** 2) - r ** 3 - r ** 4 / 2 + r ** 6 / 6 - r ** 8 / 6,
  ][m];
  // ψ(x) = ψ(x+K) − Σ 1/(x+k), ψ₁ = ψ₁(x+K) + Σ 1/(x+k)², ψ₂ = ψ₂(x+K) − 2 Σ 1/(x+k)³
  const sign = [-1, 1, -2][m];
  let sum = asym;
  let comp = 0;
  for (let k = K - 1; k >= 0; k--) {
    const t = (sign * 1) / (x + k) ** (m + 1);
    const next = sum + t;
    comp += Math.abs(sum) >= Math.abs(t) ? sum - next + t : t - next + sum;
    sum = next;
  }
  return sum + comp;
}
