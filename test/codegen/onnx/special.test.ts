/**
 * The composite special functions built into ONNX graphs through
 * onnxArith and run by onnxruntime's CPU provider, in float64 and float32,
 * against the same oracles as test/special/composite.test.ts. float64 differs
 * from the number arith only through onnxruntime's exp/log/sin (a few ulps);
 * float32 is bounded by the input's own rounding times the condition number,
 * so its rows keep to well-conditioned domains. Tolerances are ~4× the
 * measured maximum written beside them (`SAMPO_MEASURE=1` prints them).
 */
import gammaln from "@stdlib/math-base-special-gammaln";
import stdDigamma from "@stdlib/math-base-special-digamma";
import stdErf from "@stdlib/math-base-special-erf";
import stdTrigamma from "@stdlib/math-base-special-trigamma";
import { afterAll, describe, expect, it } from "vitest";
import { onnxArith } from "../../../src/codegen/onnx/arith.ts";
import type { Dtype } from "../../../src/codegen/onnx/proto.ts";
import type { Arith } from "../../../src/special/composite/arith.ts";
import * as composite from "../../../src/special/composite/index.ts";
import * as logistic from "../../../src/special/logistic.ts";
import { tetragamma as srcTetragamma } from "../../../src/special/tetragamma.ts";
import { runUnaryGraph } from "../../helpers/onnx.ts";

const linspace = (lo: number, hi: number, n: number) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
const logspace = (lo: number, hi: number, n: number) => linspace(lo, hi, n).map((e) => 10 ** e);
/** (−40, 0) on a half-step grid: at least 0.0025 from every pole. */
const NEGATIVE = Array.from({ length: 8000 }, (_, i) => -40 + (i + 0.5) * 0.005);
const POSITIVE = [...linspace(1e-3, 30, 3000), ...logspace(-8, 1.5, 200)];
const TINY_LARGE = [...logspace(-300, -8, 100), ...logspace(1.5, 300, 300)];
const ERF_XS = [...linspace(-7, 7, 7001), ...logspace(-300, -1, 100).flatMap((x) => [x, -x])];
const LOG1P_XS = [
  ...logspace(-300, 300, 600)
    .flatMap((x) => [x, -x])
    .filter((x) => x > -1),
  ...linspace(-0.99, 10, 2000),
];
const EXPM1_XS = [...logspace(-300, 2.85, 600).flatMap((x) => [x, -x]), ...linspace(-50, 50, 2001)];
const WIDE = [...linspace(-800, 800, 4001), ...logspace(-300, 2.9, 300).flatMap((x) => [x, -x])];
const MIN_NORMAL = { float64: 2.2250738585072014e-308, float32: 1.1754943508222875e-38 };

type Metric = "mixed" | "rel" | "abs";
type Composite = <T, C>(A: Arith<T, C>, x: T) => T;

interface Row {
  readonly name: string;
  readonly domain: string;
  readonly f: Composite;
  readonly oracle: (x: number) => number;
  readonly xs: readonly number[];
  readonly metric: Metric;
  /** Tolerance in float64 and float32 (~4× measured; undefined: not run in that type). */
  readonly tol: { readonly float64?: number; readonly float32?: number };
}

const { lgamma, digamma, trigamma, tetragamma, erf, log1p, expm1, softplus, sigmoid } = composite;
const F32_MAX = 3.4028234663852886e38;
/**
 * The number-arith composite, for negative ψ and ψ₂ where stdlib's digamma
 * and src's tetragamma lose digits near the poles (composite.test.ts checks
 * the number arith there against series).
 */
const numeric = (f: Composite) => (x: number) => f(composite.numberArith, x);

const ROWS: Row[] = [
  // measured: float64 1.6e-15 (stdlib's own error is 3.1e-15), float32 6.4e-7
  {
    name: "lgamma",
    domain: "(0, 30]",
    f: lgamma,
    oracle: gammaln,
    xs: POSITIVE,
    metric: "mixed",
    tol: { float64: 1e-14, float32: 2.5e-6 },
  },
  // measured: float64 3.3e-16, float32 1.0e-7
  {
    name: "lgamma",
    domain: "tiny, large",
    f: lgamma,
    oracle: gammaln,
    xs: TINY_LARGE,
    metric: "mixed",
    tol: { float64: 1.3e-15, float32: 4e-7 },
  },
  // measured: float64 3.3e-15 (stdlib's at −1.19), float32 1.3e-6
  {
    name: "lgamma",
    domain: "(−40, 0)",
    f: lgamma,
    oracle: gammaln,
    xs: NEGATIVE,
    metric: "mixed",
    tol: { float64: 1.3e-14, float32: 5.3e-6 },
  },
  // measured: float64 8.9e-16, float32 4.8e-7
  {
    name: "digamma",
    domain: "(0, 30]",
    f: digamma,
    oracle: stdDigamma,
    xs: POSITIVE,
    metric: "mixed",
    tol: { float64: 3.6e-15, float32: 2e-6 },
  },
  // measured: float64 2.2e-16, float32 7.2e-8
  {
    name: "digamma",
    domain: "tiny, large",
    f: digamma,
    oracle: stdDigamma,
    xs: TINY_LARGE,
    metric: "mixed",
    tol: { float64: 9e-16, float32: 2.9e-7 },
  },
  // measured: float64 1.6e-15, float32 6.5e-7
  {
    name: "digamma",
    domain: "(−40, 0)",
    f: digamma,
    oracle: numeric(digamma),
    xs: NEGATIVE,
    metric: "mixed",
    tol: { float64: 6.4e-15, float32: 2.6e-6 },
  },
  // measured: float64 6.3e-16, float32 1.8e-7
  {
    name: "trigamma",
    domain: "(0, 30]",
    f: trigamma,
    oracle: stdTrigamma,
    xs: POSITIVE,
    metric: "rel",
    tol: { float64: 2.5e-15, float32: 7e-7 },
  },
  // measured: float64 6.1e-16, float32 3.1e-7
  {
    name: "trigamma",
    domain: "(−40, 0)",
    f: trigamma,
    oracle: stdTrigamma,
    xs: NEGATIVE,
    metric: "mixed",
    tol: { float64: 2.5e-15, float32: 1.3e-6 },
  },
  // measured: float64 7.6e-16, float32 2.2e-7
  {
    name: "tetragamma",
    domain: "(0, 30]",
    f: tetragamma,
    oracle: srcTetragamma,
    xs: POSITIVE,
    metric: "rel",
    tol: { float64: 3.1e-15, float32: 8.9e-7 },
  },
  // measured: float64 1.1e-15, float32 4.9e-7
  {
    name: "tetragamma",
    domain: "(−40, 0)",
    f: tetragamma,
    oracle: numeric(tetragamma),
    xs: NEGATIVE,
    metric: "mixed",
    tol: { float64: 4.4e-15, float32: 2e-6 },
  },
  // measured: float64 1.1e-16, float32 4.0e-8
  { name: "erf", domain: "[−7, 7]", f: erf, oracle: stdErf, xs: ERF_XS, metric: "abs", tol: { float64: 4.4e-16, float32: 1.6e-7 } },
  // measured: float64 2.5e-16, float32 1.7e-7
  { name: "log1p", domain: "(−1, ∞)", f: log1p, oracle: Math.log1p, xs: LOG1P_XS, metric: "rel", tol: { float64: 1e-15, float32: 6.8e-7 } },
  // measured: float64 4.3e-16, float32 1.7e-7
  {
    name: "expm1",
    domain: "[−800, 709]",
    f: expm1,
    oracle: Math.expm1,
    xs: EXPM1_XS,
    metric: "rel",
    tol: { float64: 1.7e-15, float32: 6.8e-7 },
  },
  // measured: float64 3.2e-16, float32 1.4e-7
  {
    name: "softplus",
    domain: "[−800, 800]",
    f: softplus,
    oracle: logistic.softplus,
    xs: WIDE,
    metric: "rel",
    tol: { float64: 1.3e-15, float32: 5.5e-7 },
  },
  // measured: float64 3.0e-16, float32 1.1e-7
  {
    name: "sigmoid",
    domain: "[−800, 800]",
    f: sigmoid,
    oracle: logistic.sigmoid,
    xs: WIDE,
    metric: "rel",
    tol: { float64: 1.2e-15, float32: 4.4e-7 },
  },
];

function error(got: number, want: number, metric: Metric, dtype: Dtype): number {
  if (!Number.isFinite(want) || !Number.isFinite(got))
    return Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)) ? 0 : Infinity;
  const scale = metric === "abs" ? 1 : metric === "mixed" ? Math.max(1, Math.abs(want)) : Math.max(Math.abs(want), MIN_NORMAL[dtype]);
  return Math.abs(got - want) / scale;
}

const measured: Record<string, string> = {};
afterAll(() => {
  if (process.env.SAMPO_MEASURE) console.table(measured);
});

const CASES = ROWS.flatMap((r) =>
  (["float64", "float32"] as const).filter((d) => r.tol[d] !== undefined).map((d) => [`${r.name} on ${r.domain} in ${d}`, r, d] as const),
);

describe("composite special functions in ONNX (onnxruntime CPU)", () => {
  it.each(CASES)("%s", async (label, r, dtype) => {
    // float32 runs on the rounded inputs whose results are normal float32 numbers.
    const xs = Float64Array.from(dtype === "float64" ? r.xs : r.xs.map(Math.fround).filter((x) => x !== 0 && Math.abs(x) < F32_MAX));
    const ys = await runUnaryGraph((b, x) => r.f(onnxArith(b), x), xs, dtype);
    let err = 0;
    let at = NaN;
    xs.forEach((x, i) => {
      const want = r.oracle(x);
      if (dtype === "float32" && !(Math.abs(want) >= MIN_NORMAL.float32 && Math.abs(want) < F32_MAX)) return;
      const e = error(ys[i], want, r.metric, dtype);
      if (!(e <= err)) [err, at] = [e, x];
    });
    measured[label] = `${err.toExponential(2)} at ${at}`;
    expect(err, `worst at x = ${at}`).toBeLessThanOrEqual(r.tol[dtype]!);
  });

  it("keeps poles, infinities and NaN in float64", async () => {
    const xs = Float64Array.from([0, -3, Infinity, -Infinity, NaN]);
    const check = async (f: Composite, want: number[]) => {
      const got = await runUnaryGraph((b, x) => f(onnxArith(b), x), xs, "float64");
      want.forEach((w, i) =>
        Number.isFinite(w) ? expect(Math.abs(got[i] - w)).toBeLessThanOrEqual(4e-16 * Math.abs(w)) : expect(got[i]).toBe(w),
      );
    };
    await check(lgamma, [Infinity, Infinity, Infinity, Infinity, NaN]);
    await check(digamma, [NaN, NaN, Infinity, NaN, NaN]);
    await check(trigamma, [Infinity, Infinity, 0, NaN, NaN]);
    await check(erf, [0, stdErf(-3), 1, -1, NaN]);
    await check(log1p, [0, NaN, Infinity, NaN, NaN]);
    await check(expm1, [0, Math.expm1(-3), Infinity, -1, NaN]);
    await check(softplus, [Math.LN2, logistic.softplus(-3), Infinity, 0, NaN]);
    await check(sigmoid, [0.5, logistic.sigmoid(-3), 1, 0, NaN]);
  });
});
