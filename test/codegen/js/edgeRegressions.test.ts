/**
 * Points where the edges property (edges.properties.ts) found a compiled
 * log density or gradient that was not finite while the reference's was,
 * each named after what was wrong; now compiled = reference there, to the
 * property's tolerance (EDGE_RTOL, see that file).
 */
import { describe, expect, it } from "vitest";
import { compareDensity } from "../../../src/codegen/gradientCheck.ts";
import { model } from "../../../src/dsl/model.ts";
import { opCases } from "../../helpers/opCases.ts";
import { opModel } from "../../helpers/opModel.ts";
import { EDGE_RTOL, edgeFailures, pairOf, type Pair } from "./edges.properties.ts";

/** The components of compiled and reference at θ that do not agree (empty when all do: equal, or the same infinity). */
function disagreements(pair: Pair, theta: readonly number[]): string[] {
  const grad = new Float64Array(pair.compiled.dim);
  const logp = pair.compiled.logpGrad(Float64Array.from(theta), grad);
  const want = pair.reference.logpGrad(Float64Array.from(theta));
  expect(want.logp).toSatisfy(Number.isFinite);
  return compareDensity({ logp, grad }, want, pair.compiled.layout, EDGE_RTOL)
    .filter((c) => c.verdict !== "agree" && c.verdict !== "same non-finite")
    .map((c) => `${c.label}: compiled ${c.compiled}, reference ${c.reference}`);
}

/** The op case of test/helpers/opCases.ts named `name`, compiled both ways. */
function opCasePair(name: string): Pair {
  const found = opCases.find(([n]) => n === name);
  if (found === undefined) throw new Error(`no op case ${name}`);
  return pairOf(name, opModel(found[1], found[2]), undefined);
}

describe("edge cases the property found", () => {
  it("a uniform(−1, 2) parameter at z ≥ 40, where σ(z) rounds to 1: the bound's slack was folded into the constant 3 (log 0)", () => {
    const pair = pairOf(
      "uniform",
      model((m) => {
        const u = m.sample("u", m.uniform(-1, 2));
        m.observe("y", m.normal(u, 1), 0.5);
        return {};
      }),
      undefined,
    );
    for (const z of [40, 143.11965929253162, 700, 2.87696027420714e253]) expect(disagreements(pair, [z])).toEqual([]);
  });

  it("a binomial count of a beta probability at z = −354: p + (1 − 1) was summed as (p + 1) − 1, which is 0", () => {
    const pair = pairOf(
      "beta-binomial",
      model((m) => {
        const p = m.sample("p", m.beta(2, 2));
        m.observe("k", m.binomial(10, p), 3);
        return {};
      }),
      undefined,
    );
    expect(disagreements(pair, [-354])).toEqual([]);
  });
  it("a funnel normal(0, e^(y/2)) at |y| ≥ 709: Σx²·e^(−y) overflowed where Σ(x·e^(−y/2))² does not, and −e^(−y)·x was ∞·0", () => {
    const pair = pairOf(
      "funnel",
      model((m) => {
        const y = m.sample("y", m.normal(0, 3));
        m.sample("x", m.normal(0, m.exp(m.div(y, 2))), { shape: [2] });
        return {};
      }),
      undefined,
    );
    expect(disagreements(pair, [710, 0, -1.3407807929942597e154])).toEqual([]);
    expect(disagreements(pair, [-710, 0, 0])).toEqual([]);
  });

  it("logSumExp with a term of −∞ first: e^(−∞ − (−∞)) made the running sum NaN", () => {
    const pair = pairOf(
      "logSumExp",
      opModel(4, (m, x) => m.logSumExp(m.mul(x, 3))),
      undefined,
    );
    expect(disagreements(pair, [-1.7976931348623157e308, 1, 0, 0])).toEqual([]);
  });
  it("a negative base to a parameter integer power beyond 64: exp(b·log a) was NaN for (−1)^3958797543896441", () => {
    const pair = pairOf(
      "pow",
      opModel(2, (m, x) => m.pow(m.at(x, 0), m.at(x, 1))),
      undefined,
    );
    expect(disagreements(pair, [-1, 3958797543896441])).toEqual([]);
  });
  it("logInvLogit(20x) at 20x = ∞: log σ(y) was taken as y − softplus(y), ∞ − ∞, though no softplus(y) shared it", () => {
    const pair = pairOf(
      "logInvLogit",
      opModel(3, (m, x) => m.logInvLogit(m.mul(x, 20))),
      undefined,
    );
    expect(disagreements(pair, [8.98846567431158e306, 0, 0])).toEqual([]);
  });
  it("binomial and Bernoulli counts of a beta probability at z = −709.78: x·log(σ(z) + shift) had the derivative (1/σ(z))·σ(z)·(1 − σ(z)), ∞·0", () => {
    const pair = pairOf(
      "beta-binomial and Bernoulli",
      model((m) => {
        const p = m.sample("p", m.beta(2, 2));
        m.observe("k", m.binomial(10, p), 3);
        m.observe("b", m.bernoulli(p), [0, 1, 1, 0]);
        return {};
      }),
      undefined,
    );
    for (const z of [-709.78, -700, -40, 3]) expect([z, ...disagreements(pair, [z])]).toEqual([z]);
    // Beyond, the reference's σ(z) is subnormal or 0 (or 1 − σ(z) is, for z > 0) and it loses its accuracy;
    // log p is 7·log σ(z) + 11·log(1 − σ(z)) + const (prior, Jacobian, counts), whose derivative
    // 7·(1 − σ(z)) − 11·σ(z) is 7 and −11 at these z.
    const grad = new Float64Array(1);
    for (const [z, slope] of [
      [-745, 7],
      [-1e8, 7],
      [745, -11],
      [1e8, -11],
    ]) {
      pair.compiled.logpGrad(Float64Array.from([z]), grad);
      expect([z, grad[0]]).toEqual([z, slope]);
    }
  });
  it("a two-component mixture's weights [w, 1 − w] at logit(w) = −709.78: the log of their stack was log σ(z), whose derivative was ∞·0", () => {
    const pair = pairOf(
      "mixture",
      model((m) => {
        const w = m.sample("w", m.beta(2, 2));
        const mu = m.sample("mu", m.normal(0, 2), { shape: [2] });
        m.observe("y", m.mixture(m.stack([w, m.sub(1, w)]), [m.normal(m.at(mu, 0), 1), m.normal(m.at(mu, 1), 1)]), [-1, 0.5, 3]);
        return {};
      }),
      undefined,
    );
    expect(disagreements(pair, [-709.78, 1, -709.78])).toEqual([]);
  });
  it("a regression's residuals at μ = 1e155: (y − μ)² overflowed where the reference's ((y − μ)/σ)² does not; the careful form takes the monomial in log space", () => {
    const pair = pairOf(
      "regression",
      model((m, d: { x: number[]; y: number[] }) => {
        const beta = m.sample("beta", m.flat(), { shape: [2] });
        const sigma = m.sample("sigma", m.halfFlat());
        m.observe("y", m.normal(m.add(m.at(beta, 0), m.mul(m.at(beta, 1), d.x)), sigma), d.y);
        return {};
      }),
      { x: [0.5, 1.5, -2, 3], y: [1, 2.5, -3, 4] },
    );
    expect(disagreements(pair, [0, 1e155, 709.78])).toEqual([]);
    expect(disagreements(pair, [1e155, 0, 354])).toEqual([]);
  });
  it("a division by a subnormal parameter: a/b was a·(1/b) = 0·∞, and its derivative −a/b² divided by an underflowing b²", () => {
    const pair = pairOf(
      "div",
      opModel(2, (m, x) => m.div(m.at(x, 0), m.at(x, 1))),
      undefined,
    );
    expect(disagreements(pair, [0, 5e-324])).toEqual([]);
    expect(disagreements(pair, [1e-300, 1e-160])).toEqual([]);
  });
  it("x·e^z/(e^z + c)² at z = 709.78 and at x = 1.8e308, z = 700: the careful form takes the product in log space", () => {
    const pair = pairOf(
      "div of a positive scale",
      opModel(2, (m, x) => m.div(m.at(x, 0), m.add(m.exp(m.at(x, 1)), 0.25))),
      undefined,
    );
    expect(disagreements(pair, [36, 709.78])).toEqual([]);
    expect(disagreements(pair, [1.7976931348623157e308, 700])).toEqual([]);
  });
  it("a power's derivative eˣ·y·b^(y−1) at y = −6.6e307: the careful form takes the product in log space", () => {
    const pair = pairOf(
      "pow",
      opModel(2, (m, x) => m.pow(m.add(m.exp(m.at(x, 0)), 0.25), m.at(x, 1))),
      undefined,
    );
    expect(disagreements(pair, [0.9999999999999999, -6.613343458508871e307])).toEqual([]);
  });
  it("a scalar times a vector, summed, at c = 0 and Σv = −∞: c·Σv was 0·∞; the careful form sums each c·v whole", () => {
    const pair = pairOf(
      "broadcast scalar·vector",
      opModel(3, (m, x) => m.mul(m.at(x, 0), m.slice(x, 1, 3))),
      undefined,
    );
    expect(disagreements(pair, [0, -1.7976931348623157e308, -9.9792015476749e291])).toEqual([]);
  });
  it("a Gaussian-process spectral density's √(√(2π))·z·Σe^(…) at z = −1.1e308: the coefficient overflowed before the sum's e^(ρ/2) = e^(−350) multiplied it", () => {
    const lambda = [0.5, 3, 10, 40];
    const pair = pairOf(
      "GP spectral density",
      opModel(3, (m, x) => {
        const c = m.mul(m.mul(m.square(m.exp(m.at(x, 0))), Math.sqrt(2 * Math.PI)), m.exp(m.at(x, 1)));
        return m.mul(m.sqrt(m.mul(c, m.exp(m.div(m.neg(m.square(m.mul(m.exp(m.at(x, 1)), lambda))), 2)))), m.at(x, 2));
      }),
      undefined,
    );
    // At ρ = e^(−700) (the property found e^(−745), where the reference's subnormal ρ is 5e-324 instead of 2.8e-324).
    expect(disagreements(pair, [0, -700, -1.1354567406042274e308])).toEqual([]);
  });
  it("a squared-exponential covariance at α = e^354: the gradient's coefficient 2α²/ρ² overflowed before the underflowing exponential multiplied it", () => {
    const pair = pairOf(
      "expQuadCov",
      opModel(6, (m, x) => m.mul(m.expQuadCov(m.slice(x, 0, 4), m.exp(m.at(x, 4)), m.exp(m.at(x, 5))), 0.5)),
      undefined,
    );
    expect(disagreements(pair, [0, 1, 1, 0, 354, -1.8849416800546743])).toEqual([]);
  });
  it("a Dirichlet simplex at z = 745, where the last piece e^(Σ log(1 − f)) underflows: log∘exp under the vectors' layout (a transpose and reshape) was not taken apart, and (α − 1)/x·x was ∞·0", () => {
    const pair = pairOf(
      "Dirichlet",
      model((m) => {
        m.sample("p", m.dirichlet([1, 2, 3]));
        return {};
      }),
      undefined,
    );
    // The reference's own values lose accuracy here (its x is subnormal): the property's check, finite where it is finite.
    for (const z of [
      [-36, 745],
      [0, 745],
      [800, 0],
    ])
      expect(edgeFailures(pair, Float64Array.from(z))).toEqual([]);
  });
  it("a binomial count of a Dirichlet simplex's p[0] at z = 36: the fraction's log σ(u) was mirrored as u − softplus(u), which rounds −4.6e-16 to 0, so p[0] was 1 and log(1 − p[0]) −∞", () => {
    const pair = pairOf(
      "Dirichlet-binomial",
      model((m) => {
        const p = m.sample("p", m.dirichlet([1, 2, 3]));
        m.observe("k", m.binomial(4, m.at(p, 0)), 1);
        return {};
      }),
      undefined,
    );
    // The property's check (finite where the reference is): the reference's own 1 − p[0] = 1 − e^(−4.6e-16)
    // rounds to 4.4e-16, 4 % off, and its gradient with it.
    expect(edgeFailures(pair, Float64Array.of(36, 0))).toEqual([]);
  });
  it("an HMM forward algorithm whose transition log-probabilities reach −1.8e308: a log-sum-exp of terms all −∞ had weights e^(−∞ − (−∞)), NaN, times a cotangent of 0", () => {
    const pair = opCasePair("scan: forward algorithm (logSumExp in the body)");
    expect(disagreements(pair, [0, Number.MAX_VALUE, 0, 0, 0, 0])).toEqual([]);
  });
  it("a matrix product's gradient eˣ ⊙ (Aᵀ·2AB) at A of 1e225: Aᵀ·2AB overflowed before eˣ = 0 multiplied it", () => {
    const pair = opCasePair("matmul matrix·matrix");
    expect(disagreements(pair, [1, 0, 0, -1e150, -4.5665728555226465e81, -7.241035747969e225])).toEqual([]);
  });
  it("a GARCH recursion whose carry's cotangent overflows (y²/next² at next = e^(−700)): ∂/∂y₀ at y₀ = 0 was 0.2·y₀·∞, NaN, where it is exactly 0", () => {
    const pair = opCasePair("scan: GARCH-like recursion with two carries");
    const grad = new Float64Array(6);
    pair.compiled.logpGrad(Float64Array.of(-700, 1, -745.1332191019412, 0, 0, 1e-140), grad);
    expect(grad[3]).toBe(0);
  });
  it("a GARCH recursion whose carried cotangent y²/v² (7e310 at y = 40, v = e^(−354)) overflowed before the initial variance e^(−1e8) multiplied it: ∂/∂x₂ was −∞ where it is 0", () => {
    const pair = opCasePair("scan: GARCH-like recursion with two carries");
    const at = Float64Array.of(-354, 0, -1e8, 40, 0, 0);
    expect(edgeFailures(pair, at)).toEqual([]);
    const grad = new Float64Array(6);
    pair.compiled.logpGrad(at, grad);
    expect(grad[2]).toBe(0);
    // Where the initial variance is the smallest subnormal, e^(−745.13), the exact ∂/∂x₂ is −1934.44204509… (mpmath,
    // 50 digits): the product λ₀·e^(x₂) of a cotangent of e^(755) and that subnormal, in log space. The reference's
    // forward mode rounds its subnormal tangent to 0.
    pair.compiled.logpGrad(Float64Array.of(-700, 1, -745.1332191019412, 3.6980723301558044e-150, 0, 1), grad);
    expect(grad.every((g) => !Number.isNaN(g))).toBe(true);
    pair.compiled.logpGrad(Float64Array.of(-700, 1, -745.1332191019412, 0, 0, 1e-140), grad);
    expect(grad[2]).toBeCloseTo(-1934.442045094842, 5);
  });
});
