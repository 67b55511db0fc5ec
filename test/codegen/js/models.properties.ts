/**
 * Generated models (issue #16): priors, an expression of the parameters and
 * data, and a likelihood over 1 to 3 observations. Every generated model
 * compiles (or is refused with a ModelError naming the site, where its data
 * alone make a scale overflow), and its default and careful forms agree
 * with the reference interpreter at ordinary points. One such model the
 * examples did not have, a single observation with scale τ·s, once
 * overflowed the compiler's stack (careful.test.ts); a scale made of data
 * alone was not checked at build time (graphOps.ts).
 *
 * Tolerance: rtol 1e-9 under the design's rule |a − b| ≤ rtol·max(|b|, ‖∇ref‖∞, 1)
 * (gradientCheck.ts): at points in (−1.5, 1.5) the expressions have no
 * poles (divisors and scales are positive by construction), and the two
 * sides differ by summation order, about 1e-14; a wrong rule is off by
 * order one. Where the reference is not finite (e^(−e^(2τ)) as a scale
 * underflows, so its residual overflows), the compiled value may be: its
 * stable forms compute what the written expression overflows on (as in
 * edges.properties.ts).
 */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import type { PlainDensity } from "../../../src/codegen/density.ts";
import { compareDensity, describeDisagreements } from "../../../src/codegen/gradientCheck.ts";
import { compilePlain } from "../../../src/codegen/js/plain.ts";
import type { Dist } from "../../../src/dsl/distribution.ts";
import { type Model, model, type ModelAlg } from "../../../src/dsl/model.ts";
import type { Tensor } from "../../../src/dsl/tensor.ts";
import { ModelError } from "../../../src/errors.ts";
import { logDensity, type ReferenceDensity } from "../../../src/interpreters/logDensity.ts";
import { randomPoints } from "../../helpers/agree.ts";
import { densityForms } from "../../helpers/careful.ts";
import { propertyParameters } from "../../helpers/property.ts";

/** An expression over the parameters and data, as plain data (so that fast-check prints and shrinks it). */
type Expr =
  | { readonly k: "param"; readonly i: number }
  | { readonly k: "data"; readonly i: number }
  | { readonly k: "const"; readonly v: number }
  | { readonly k: "unary"; readonly op: (typeof UNARY)[number]; readonly a: Expr }
  | { readonly k: "binary"; readonly op: (typeof BINARY)[number]; readonly a: Expr; readonly b: Expr }
  | { readonly k: "positive"; readonly how: (typeof POSITIVE)[number]; readonly a: Expr };

const UNARY = ["exp", "tanh", "invLogit", "square", "neg", "log1pExp", "abs", "logPositive", "sqrtPositive", "sum", "logSumExp"] as const;
const BINARY = ["add", "sub", "mul", "divPositive", "powPositive"] as const;
/**
 * Ways to make a positive value of any expression; the last ones multiply it by the first datum vector or by a
 * parameter of positive support (τ·s, a scale as hierarchical models write it).
 */
const POSITIVE = ["exp", "log1pExp", "squarePlusHalf", "timesData", "positiveParamTimesData", "positiveParam"] as const;
const PRIORS = ["normal", "halfNormal", "beta", "uniform", "exponential", "gamma", "logNormal", "vector"] as const;
const POSITIVE_PRIORS = new Set<string>(["halfNormal", "exponential", "gamma", "logNormal"]);
const LIKELIHOODS = [
  "normal",
  "studentT",
  "cauchy",
  "laplace",
  "logistic",
  "poissonLog",
  "bernoulliLogit",
  "binomialLogit",
  "poisson",
  "exponential",
  "gamma",
  "halfNormal",
  "logNormal",
] as const;
const COUNTS = new Set<string>(["poisson", "poissonLog", "binomialLogit"]);

/** A generated model: its priors, an expression and a scale, a likelihood, the data. */
interface Spec {
  readonly priors: readonly (typeof PRIORS)[number][];
  /** Length of vector parameters (gathered to the observations). */
  readonly groups: number;
  readonly n: number;
  readonly data: readonly (readonly number[])[];
  readonly expr: Expr;
  readonly scale: Expr;
  /** How the likelihood's scale or rate is made positive. */
  readonly scaleHow: (typeof POSITIVE)[number];
  readonly likelihood: (typeof LIKELIHOODS)[number];
  readonly y: readonly number[];
}

const expr = (params: number, datas: number): fc.Arbitrary<Expr> =>
  fc.letrec<{ e: Expr }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small", withCrossShrink: true, maxDepth: 3 },
      fc.nat(params - 1).map((i): Expr => ({ k: "param", i })),
      fc.nat(datas - 1).map((i): Expr => ({ k: "data", i })),
      fc.constantFrom(0.5, -1.5, 2).map((v): Expr => ({ k: "const", v })),
      fc.record({ k: fc.constant("unary" as const), op: fc.constantFrom(...UNARY), a: tie("e") }),
      fc.record({ k: fc.constant("binary" as const), op: fc.constantFrom(...BINARY), a: tie("e"), b: tie("e") }),
      fc.record({ k: fc.constant("positive" as const), how: fc.constantFrom(...POSITIVE), a: tie("e") }),
    ),
  })).e;

const spec: fc.Arbitrary<Spec> = fc
  .record({
    priors: fc.array(fc.constantFrom(...PRIORS), { minLength: 1, maxLength: 3 }),
    groups: fc.integer({ min: 1, max: 3 }),
    n: fc.integer({ min: 1, max: 3 }),
    datas: fc.integer({ min: 1, max: 2 }),
    likelihood: fc.constantFrom(...LIKELIHOODS),
  })
  .chain(({ priors, groups, n, datas, likelihood }) =>
    fc.record({
      priors: fc.constant(priors),
      groups: fc.constant(groups),
      n: fc.constant(n),
      likelihood: fc.constant(likelihood),
      data: fc.array(fc.array(fc.double({ min: 0.25, max: 3, noNaN: true }), { minLength: n, maxLength: n }), {
        minLength: datas,
        maxLength: datas,
      }),
      expr: expr(priors.length, datas),
      scale: expr(priors.length, datas),
      scaleHow: fc.constantFrom(...POSITIVE),
      y: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
    }),
  );

/** What an expression reads: the parameters (all, and those of positive support) and the data. */
interface Context {
  readonly params: readonly Tensor[];
  readonly data: readonly Tensor[];
  readonly positiveParams: readonly Tensor[];
}

/** The model of a spec. */
function build(s: Spec): Model<undefined> {
  return model((m) => {
    const params = s.priors.map((p, i) => prior(m, p, `p${i}`, s.groups, s.n));
    const data = s.data.map((d, i) => m.data(`d${i}`, d));
    const ctx: Context = { params, data, positiveParams: params.filter((_, i) => POSITIVE_PRIORS.has(s.priors[i])) };
    const scale = positive(m, s.scaleHow, evaluate(m, s.scale, ctx), ctx);
    const value = evaluate(m, s.expr, ctx);
    // Each observation in the likelihood's support: 0/1, counts, or positive reals.
    const y = s.y.map((c) => (s.likelihood === "bernoulliLogit" ? c % 2 : COUNTS.has(s.likelihood) ? c : c + 0.5));
    m.observe("y", likelihood(m, s.likelihood, value, scale), y);
    return {};
  });
}

/** A parameter; a vector one is gathered to the n observations. */
function prior(m: ModelAlg, kind: (typeof PRIORS)[number], name: string, groups: number, n: number): Tensor {
  const dists: Record<Exclude<typeof kind, "vector">, () => Dist> = {
    normal: () => m.normal(0, 1),
    halfNormal: () => m.halfNormal(1),
    beta: () => m.beta(2, 2),
    uniform: () => m.uniform(-1, 2),
    exponential: () => m.exponential(1),
    gamma: () => m.gamma(2, 2),
    logNormal: () => m.logNormal(0, 1),
  };
  if (kind !== "vector") return m.sample(name, dists[kind]());
  const v = m.sample(name, m.normal(0, 1), { shape: [groups] });
  return m.gather(
    v,
    Array.from({ length: n }, (_, k) => k % groups),
  );
}

function evaluate(m: ModelAlg, e: Expr, ctx: Context): Tensor {
  const go = (x: Expr) => evaluate(m, x, ctx);
  switch (e.k) {
    case "param":
      return ctx.params[e.i];
    case "data":
      return ctx.data[e.i];
    case "const":
      return m.add(m.mul(ctx.params[0], 0), e.v);
    case "unary":
      return unary(m, e.op, go(e.a), ctx);
    case "binary":
      return binary(m, e.op, go(e.a), go(e.b), ctx);
    case "positive":
      return positive(m, e.how, go(e.a), ctx);
  }
}

function unary(m: ModelAlg, op: (typeof UNARY)[number], x: Tensor, ctx: Context): Tensor {
  switch (op) {
    case "logPositive":
      return m.log(positive(m, "log1pExp", x, ctx));
    case "sqrtPositive":
      return m.sqrt(positive(m, "squarePlusHalf", x, ctx));
    case "sum":
      return m.sum(x);
    case "logSumExp":
      return m.logSumExp(x);
    default:
      return m[op](x);
  }
}

function binary(m: ModelAlg, op: (typeof BINARY)[number], a: Tensor, b: Tensor, ctx: Context): Tensor {
  switch (op) {
    case "divPositive":
      return m.div(a, positive(m, "log1pExp", b, ctx));
    case "powPositive":
      return m.pow(positive(m, "log1pExp", a, ctx), m.tanh(b));
    default:
      return m[op](a, b);
  }
}

/** A positive value made of `x` (see POSITIVE); without a parameter of positive support, e^x stands in for one. */
function positive(m: ModelAlg, how: (typeof POSITIVE)[number], x: Tensor, ctx: Context): Tensor {
  const tau = ctx.positiveParams.length > 0 ? ctx.positiveParams[0] : m.exp(x);
  switch (how) {
    case "exp":
      return m.exp(x);
    case "log1pExp":
      return m.log1pExp(x);
    case "squarePlusHalf":
      return m.add(m.square(x), 0.5);
    case "timesData":
      return m.mul(m.log1pExp(x), ctx.data[0]);
    case "positiveParamTimesData":
      return m.mul(tau, ctx.data[0]);
    case "positiveParam":
      return tau;
  }
}

function likelihood(m: ModelAlg, kind: (typeof LIKELIHOODS)[number], value: Tensor, scale: Tensor): Dist {
  switch (kind) {
    case "normal":
      return m.normal(value, scale);
    case "studentT":
      return m.studentT(3, value, scale);
    case "cauchy":
      return m.cauchy(value, scale);
    case "laplace":
      return m.laplace(value, scale);
    case "logistic":
      return m.logistic(value, scale);
    case "poissonLog":
      return m.poissonLog(value);
    case "bernoulliLogit":
      return m.bernoulliLogit(value);
    case "binomialLogit":
      return m.binomialLogit(5, value);
    case "poisson":
      return m.poisson(scale);
    case "exponential":
      return m.exponential(scale);
    case "gamma":
      return m.gamma(m.log1pExp(value), scale);
    case "halfNormal":
      return m.halfNormal(scale);
    case "logNormal":
      return m.logNormal(value, scale);
  }
}

/** A ModelError (a domain error, typed, naming the site) as undefined; anything else thrown again. */
function unlessDomainError<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof ModelError) return undefined;
    throw e;
  }
}

/** The property, at `runs` runs. */
export function defineModelProperties(runs: number): void {
  test.prop([spec], propertyParameters<[Spec]>(runs))("generated models compile; default and careful forms = reference", (s) => {
    const mdl = build(s);
    // A model the build refuses: a scale of data alone that overflows (e^(e^(e^s))) is checked at build time.
    const plain: PlainDensity | undefined = unlessDomainError(() => compilePlain(mdl, undefined));
    if (plain === undefined) return;
    // The reference runs the model once when built, at θ = 0, and checks distributions' parameters at every
    // evaluation (compiled code at build time only): where it meets a domain error it has no value to compare.
    const ref: ReferenceDensity | undefined = unlessDomainError(() => logDensity(mdl, undefined));
    if (ref === undefined) return;
    for (const [form, density] of densityForms(plain)) {
      for (const theta of randomPoints(plain.dim, 3, 11, 1.5)) {
        const want = unlessDomainError(() => ref.logpGrad(theta));
        if (want === undefined) continue;
        const grad = new Float64Array(plain.dim);
        const logp = density.logpGrad(theta, grad);
        const got = compareDensity({ logp, grad }, want, plain.layout, 1e-9);
        // Gradients only where the reference's log p is finite. A value the reference does not have finitely
        // may be finite compiled (a stable form computes what the written one overflows on), not the other infinity.
        const bad = (Number.isFinite(want.logp) ? got : got.slice(0, 1)).filter(
          (c) =>
            c.verdict === "differ" ||
            c.verdict === "compiled non-finite" ||
            (Math.abs(c.reference) === Infinity && c.compiled === -c.reference),
        );
        expect(describeDisagreements(bad), `${form} form at θ = [${Array.from(theta).join(", ")}]`).toEqual([]);
      }
    }
  });
}
