/**
 * Numbers at the edges (issue #16): wherever the reference interpreter's
 * log density and gradient are finite, the compiled ones are finite and
 * agree (what is asserted elsewhere: see edgeFailures). Points come from
 * test/helpers/extremes.ts: exp's under- and overflow thresholds, huge and
 * tiny magnitudes, subnormals, bounds one ulp inside and out.
 *
 * Tolerance: rtol 1e-8 under src/codegen/gradientCheck.ts's rule
 * |a − b| ≤ rtol·max(|b|, ‖∇ref‖∞, 1). Compiled and reference code evaluate
 * the same functions in different orders (reverse against forward mode;
 * rewritten forms such as √c·e^(x/2) for √(c·eˣ)). At these points the
 * functions are ill-conditioned: an argument of 745 carries an absolute
 * rounding error of 745·ε ≈ 1.7e-13, which exp turns into that much
 * relative error, and lgamma, pow and the like near their poles amplify
 * more; a few such steps stay below 1e-10. 1e-8 leaves room for them while a
 * wrong rule (errors of order one) or an overflow (a non-finite value) fails.
 */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { benchmarks, posteriordb } from "../../../examples/index.ts";
import { compile } from "../../../src/codegen/compile.ts";
import type { CompiledDensity } from "../../../src/codegen/density.ts";
import { type Comparison, compareDensity, describeDisagreements } from "../../../src/codegen/gradientCheck.ts";
import { model, type Model } from "../../../src/dsl/model.ts";
import { ModelError } from "../../../src/errors.ts";
import { logDensity, type ReferenceDensity } from "../../../src/interpreters/logDensity.ts";
import { extremePoint } from "../../helpers/extremes.ts";
import { edgeCases, opCases } from "../../helpers/opCases.ts";
import { opModel } from "../../helpers/opModel.ts";
import { propertyParameters } from "../../helpers/property.ts";

/** See the file comment. */
export const EDGE_RTOL = 1e-8;

/** Reference values beyond this are within rounding of overflow (1.8e308): the compiled one may overflow there. */
const OVERFLOW_EDGE = 1e300;

/** A compiled density with its reference. */
export interface Pair {
  readonly name: string;
  readonly compiled: CompiledDensity;
  readonly reference: ReferenceDensity;
}

/** Compiles a model both ways. */
export function pairOf<D>(name: string, mdl: Model<D>, data: D): Pair {
  return { name, compiled: compile(mdl, data), reference: logDensity(mdl, data) };
}

/**
 * What the property rejects at θ (empty when it holds), as lines naming the
 * component:
 *
 * - reference log p and a gradient component finite: the compiled ones are
 *   finite too (the requirement: every such step would otherwise be
 *   a divergence), unless the reference's exceeds 1e300 (within rounding of
 *   overflow, where another order of operations may overflow), or its log p
 *   does (then the terms that make it up are that large, and so are the
 *   cotangents reverse mode forms of them: a scan's carry of 1.8e308 has a
 *   rate's cotangent of 7e308 before σ'(z) = 1.4e-9 scales it, where the
 *   reference's forward mode scales the tangent first);
 * - a reference value NaN: nothing (NaN comes from a domain, but just as
 *   well from ∞ − ∞ in an intermediate that a stable form never computes:
 *   Stan's logit of an inv_logit at −2.7e113 is NaN in the reference and
 *   −2.7e113 compiled);
 * - a domain error from the reference (it checks distributions' parameters
 *   at every evaluation, the compiled code at build time only): nothing, as
 *   the reference gives no value (a scale e^(1e300) overflows there, while the
 *   compiled log(e^θ) = θ stays finite);
 * - a reference value ±∞: the compiled one is not the opposite infinity. It
 *   may be finite: a stable form computes what the written one overflows on
 *   (√(x²) at x = 1e-200 has derivative 1, not 0·∞).
 *
 * Values are compared (rtol {@link EDGE_RTOL}) by the example-based tests
 * of each stable form (test/ir/stabilize.test.ts): at generated extremes the
 * reference itself loses accuracy (subnormal intermediates, sums of terms of
 * 1e300), so it is no oracle of values there.
 */
export function edgeFailures(pair: Pair, theta: Float64Array): string[] {
  const grad = new Float64Array(pair.compiled.dim);
  const logp = pair.compiled.logpGrad(theta, grad);
  const where = `${pair.name} at θ = [${Array.from(theta).join(", ")}]`;
  let want: { logp: number; grad: Float64Array };
  try {
    want = pair.reference.logpGrad(theta);
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    return [];
  }
  const rejected = (c: Comparison) =>
    (c.verdict === "compiled non-finite" && Math.abs(c.reference) < OVERFLOW_EDGE) ||
    (Math.abs(c.reference) === Infinity && c.compiled === -c.reference);
  if (Number.isFinite(want.logp) && Math.abs(want.logp) >= OVERFLOW_EDGE) return [];
  const got = compareDensity({ logp, grad }, want, pair.compiled.layout, EDGE_RTOL);
  const bad = Number.isFinite(want.logp) ? got.filter(rejected) : got.slice(0, 1).filter(rejected);
  return describeDisagreements(bad).map((line) => `${where}: ${line}`);
}

/** The parameter sites and likelihoods the examples are made of, each alone with its transform. */
const sites: [string, Model<undefined>][] = [
  [
    "normal likelihood, half-normal scale",
    model((m) => {
      const mu = m.sample("mu", m.normal(0, 5));
      const sigma = m.sample("sigma", m.halfNormal(1));
      m.observe("y", m.normal(mu, sigma), [0.3, -1.2]);
      return {};
    }),
  ],
  [
    "funnel: normal(0, exp(y/2))",
    model((m) => {
      const y = m.sample("y", m.normal(0, 3));
      m.sample("x", m.normal(0, m.exp(m.div(y, 2))), { shape: [2] });
      return {};
    }),
  ],
  [
    "log-normal likelihood, half-Cauchy scale",
    model((m) => {
      const mu = m.sample("mu", m.flat());
      const sigma = m.sample("sigma", m.halfCauchy(2));
      m.observe("y", m.logNormal(mu, sigma), [0.5, 4]);
      return {};
    }),
  ],
  [
    "Student t with gamma degrees of freedom",
    model((m) => {
      const nu = m.sample("nu", m.gamma(2, 0.1));
      const sigma = m.sample("sigma", m.exponential(1));
      m.observe("y", m.studentT(nu, 0, sigma), [0.5, -3]);
      return {};
    }),
  ],
  [
    "gamma and inverse-gamma",
    model((m) => {
      const a = m.sample("a", m.halfFlat());
      const b = m.sample("b", m.inverseGamma(2, 1));
      m.observe("y", m.gamma(a, b), [0.5, 2]);
      return {};
    }),
  ],
  [
    "beta probability, binomial count",
    model((m) => {
      const p = m.sample("p", m.beta(2, 2));
      m.observe("k", m.binomial(10, p), 3);
      return {};
    }),
  ],
  [
    "uniform bounded parameter",
    model((m) => {
      const u = m.sample("u", m.uniform(-1, 2));
      m.observe("y", m.normal(u, 1), 0.5);
      return {};
    }),
  ],
  [
    "logit links: Bernoulli, binomial, Poisson-log",
    model((m) => {
      const a = m.sample("a", m.normal(0, 2));
      const b = m.sample("b", m.normal(0, 2));
      m.observe("y", m.bernoulliLogit(m.add(a, m.mul(b, [-1, 0.5, 2]))), [0, 1, 1]);
      m.observe("k", m.binomialLogit([5, 8], m.sub(a, b)), [2, 8]);
      m.observe("c", m.poissonLog(m.mul(a, [1, -2])), [0, 7]);
      return {};
    }),
  ],
  [
    "Dirichlet simplex",
    model((m) => {
      const p = m.sample("p", m.dirichlet([1, 2, 3]));
      m.observe("k", m.binomial(4, m.at(p, 0)), 1);
      return {};
    }),
  ],
  [
    "two-component normal mixture",
    model((m) => {
      const w = m.sample("w", m.beta(2, 2));
      const mu = m.sample("mu", m.normal(0, 2), { shape: [2] });
      const s = m.sample("s", m.halfNormal(2));
      m.observe("y", m.mixture(m.stack([w, m.sub(1, w)]), [m.normal(m.at(mu, 0), s), m.normal(m.at(mu, 1), s)]), [-1, 0.5, 3]);
      return {};
    }),
  ],
];

/** The site kinds, compiled both ways. */
export function sitePairs(): Pair[] {
  return sites.map(([name, mdl]) => pairOf(name, mdl, undefined));
}

/** Examples whose reference gradient costs ≤ 12 ms (the end-to-end property runs at a smaller count). */
const smallExamples = [
  "simple",
  "funnel",
  "eight_schools-eight_schools_noncentered",
  "earnings-earn_height",
  "kidiq-kidscore_interaction",
  "kidiq-kidscore_momiq",
  "kilpisjarvi_mod-kilpisjarvi",
  "mesquite-logmesquite",
  "mesquite-mesquite",
  "nes_logit_data-nes_logit_model",
  "sblrc-blr",
  "sblri-blr",
  "wells_data-wells_dist",
  "Rate_1_data-Rate_1_model",
  "Rate_3_data-Rate_3_model",
];

/** A case index and a point of its dimension. */
function casePoint(pairs: readonly Pair[]): fc.Arbitrary<[number, Float64Array]> {
  return fc.integer({ min: 0, max: pairs.length - 1 }).chain((i) => fc.tuple(fc.constant(i), extremePoint(pairs[i].compiled.dim)));
}

/**
 * The properties, at `runs` runs each (the examples' at runs / 10: each case there costs milliseconds).
 *
 * The triangular solves and the fixed-step scan failed only at points whose
 * reference log p was 1.3e305 to 1.8e308, now exempt (see edgeFailures),
 * and hold at 3 × 20,000 points besides.
 *
 * Fixed so far, with their regression tests in edgeRegressions.test.ts: a
 * uniform parameter at z ≥ 40, a binomial probability at z = −354, a scale
 * e^(y/2) at |y| ≥ 709 (funnel: Σx²·e^(−y) is now Σ(x·e^(−y/2))²),
 * logSumExp with a term of −∞, a negative base to an integer power beyond
 * 64, and logInvLogit of 20·1.8e308 (log σ(y) = −softplus(−y) is taken as
 * y − softplus(y), ∞ − ∞, only where softplus or sigmoid of y is shared),
 * a count's x·log(p + max(1 − x, 0)) at p = σ(z) for z ≤ −709.78 (beta
 * probabilities of binomial and Bernoulli counts, Rate_1, Rate_3: now
 * log(c + σ(z)) = log1p(c) − softplus(−z) + softplus(log(c/(1 + c)) − z)),
 * the log of a mixture's stacked weights [w, 1 − w] (now the stack of
 * their stable logs), and, through the careful form that compiled code runs
 * where the default form's result is not finite (simplify.ts): residuals
 * (y − μ)² of 1e154 (log-normal, earnings, kidiq, mesquite; now
 * one log-space product), division by a subnormal parameter, x·eᶻ/(eᶻ + c)² at
 * x = 1.8e308, z = 700 and pow's eˣ·y·b^(y−1) at y = −6.6e307 (products
 * now ±e^(Σ e·log|a|)), and c·Σv at c = 0 where Σv overflows, or where c
 * overflows before an underflowing v multiplies it (the Gaussian-process
 * spectral density's √(√(2π))·z at z = −1.1e308; now Σ(c·v), each term one
 * product), a simplex at z = 745, whose last piece underflows (the log of
 * its reshaped and transposed e^(…) is now taken apart), a simplex at
 * z = 36, whose fraction's log σ(u) was mirrored as u − softplus(u), which
 * rounds −4.6e-16 to 0 (mirrors now spare what is exponentiated), and the
 * squared-exponential covariance's 2α²/ρ² times its
 * underflowing exponential at α = e^354 (expQuadCov; a coefficient is no
 * longer formed apart from the vector it multiplies); and the forward
 * algorithm at a transition log-probability of −1.8e308, whose log-sum-exp
 * of terms all −∞ had weights e^(−∞ − (−∞)) (logSumExp's gradient now
 * takes them as 0, as the reference's tangent does); a matrix product's
 * gradient eˣ ⊙ (Aᵀ·2AB), whose Aᵀ·2AB overflowed (A of 1e225) before
 * eˣ = 0 multiplied it (the careful form now multiplies each term of a
 * matrix product by the factor: matmulProducts.ts); and a GARCH recursion
 * at θ = [−354, 0, −1e8, 40, 0, 0], whose carried cotangent y²/v² at
 * y = 40, v = e^(−354) is 7e310 before the initial variance e^(−1e8)
 * multiplies it (the careful gradient's reverse scans now carry cotangents
 * as sign and log-magnitude: autodiff/signedLog.ts).
 */
export function defineEdgeProperties(runs: number): void {
  const ops = [...opCases, ...edgeCases].map(([name, dim, f]) => pairOf(name, opModel(dim, f), undefined));
  const parts = sitePairs();
  const all: Record<string, { model: Model<unknown>; data: unknown }> = { ...benchmarks, ...posteriordb };
  const examples = smallExamples.map((name) => pairOf(name, all[name].model, all[name].data));
  const holds =
    (pairs: readonly Pair[]) =>
    ([i, theta]: [number, Float64Array]) => {
      expect(edgeFailures(pairs[i], theta)).toEqual([]);
    };
  test.prop([casePoint(ops)], propertyParameters<[[number, Float64Array]]>(runs))(
    "every op: the compiled log p and gradient are finite wherever the reference's are",
    holds(ops),
  );
  test.prop([casePoint(parts)], propertyParameters<[[number, Float64Array]]>(runs))(
    "every site kind of the examples: finite wherever the reference is",
    holds(parts),
  );
  test.prop([casePoint(examples)], propertyParameters<[[number, Float64Array]]>(Math.ceil(runs / 10)))(
    "small examples end to end: finite wherever the reference is",
    holds(examples),
  );
}
