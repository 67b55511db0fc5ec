/**
 * The careful form (simplify.ts's option; compiled code runs it where the
 * default form's result is not finite) computes the same log density and
 * gradient: every op, at ordinary points, against the reference interpreter.
 * Elsewhere it is reached only at extreme points (edgeRegressions.test.ts).
 *
 * Tolerance: rtol 1e-10, as compiled vs reference in ops.test.ts; the
 * careful form's log-space products add a relative error of about
 * |Σ e·log|a||·ε, below 1e-13 at these points.
 */
import { describe, expect, it } from "vitest";
import { posteriordb } from "../../../examples/index.ts";
import { compile } from "../../../src/codegen/compile.ts";
import { compilePlain } from "../../../src/codegen/js/plain.ts";
import type { Dist } from "../../../src/dsl/distribution.ts";
import { model, type Model, type ModelAlg } from "../../../src/dsl/model.ts";
import type { Tensor } from "../../../src/dsl/tensor.ts";
import { logDensity } from "../../../src/interpreters/logDensity.ts";
import { expectAgree, randomPoints } from "../../helpers/agree.ts";
import { carefulDensity, carefulSource } from "../../helpers/careful.ts";
import { opCases } from "../../helpers/opCases.ts";
import { opModel } from "../../helpers/opModel.ts";

/** Checks the careful form of a model's density against the reference at 5 random points; false where it has none. */
function carefulAgrees<D>(name: string, mdl: Model<D>, data: D): boolean {
  const plain = compilePlain(mdl, data);
  const careful = carefulDensity(plain);
  if (careful === undefined) return false;
  const ref = logDensity(mdl, data);
  for (const theta of randomPoints(plain.dim, 5, 23)) {
    const grad = new Float64Array(plain.dim);
    const logp = careful.logpGrad(theta, grad);
    expectAgree({ logp, grad }, ref.logpGrad(theta), 1e-10, `${name}, careful form, vs reference`);
  }
  return true;
}

describe("the careful form of every op = reference", () => {
  for (const [name, dim, f] of opCases) {
    it(name, () => {
      carefulAgrees(name, opModel(dim, f), undefined);
    });
  }
  // Their reverse scans carry cotangents as signed logs (autodiff/signedLog.ts): scalar and vector carries.
  for (const name of ["garch-garch11", "arma-arma11", "hmm_example-hmm_example"]) {
    it(`${name} (scans)`, () => {
      expect(carefulAgrees(name, posteriordb[name].model as Model<unknown>, posteriordb[name].data)).toBe(true);
    });
  }
  it("gives no number where none is known: a ratio of two overflowed sums stays NaN, not 0 (∞/∞); 0·∞ of an exact zero is 0 in the gradient, not in the log density", () => {
    const ratio = compile(
      opModel(4, (m, x) => m.mul(m.div(m.sum(m.exp(m.slice(x, 0, 2))), m.sum(m.exp(m.slice(x, 2, 4)))), m.sum(m.exp(m.slice(x, 0, 2))))),
      undefined,
    );
    expect(ratio.logpGrad(Float64Array.of(800, 800, 800, 800), new Float64Array(4))).toBeNaN();
    // x₀²·Σe^(1000x) at x = (0, 1): Σ overflows; ∂/∂x₀ = 2x₀·Σ and ∂/∂x₁ = x₀²·1000·e^(1000) are exactly 0.
    const zeroTimes = compile(
      opModel(2, (m, x) => m.mul(m.mul(m.at(x, 0), m.sum(m.exp(m.mul(x, 1000)))), m.at(x, 0))),
      undefined,
    );
    const grad = new Float64Array(2);
    expect(zeroTimes.logpGrad(Float64Array.of(0, 1), grad)).toBeNaN();
    expect(Array.from(grad)).toEqual([0, 0]);
  });
  it("reaches the ops it is for: the matrix products and the products of factors", () => {
    const withCareful = opCases.filter(([, dim, f]) => carefulSource(compilePlain(opModel(dim, f), undefined).source) !== undefined);
    expect(withCareful.map(([name]) => name)).toEqual(
      expect.arrayContaining(["matmul matrix·matrix", "matmul matrix·vector", "div", "scan: GARCH-like recursion with two carries"]),
    );
  });
});

/**
 * A likelihood's scale or rate made of a positive parameter τ and data s,
 * over one, two and three observations: a single observation's size-1
 * dimensions are dropped (squeeze.ts), which once made the careful form of
 * τ·s recurse without end in the log rule (a stack overflow at compile).
 */
describe("every scale family over 1 to 3 observations: compiles, default and careful forms = reference", () => {
  const families: [string, (m: ModelAlg, mu: Tensor, scale: Tensor) => Dist, number][] = [
    ["normal", (m, mu, scale) => m.normal(mu, scale), -0.5],
    ["studentT", (m, mu, scale) => m.studentT(3, mu, scale), -0.5],
    ["cauchy", (m, mu, scale) => m.cauchy(mu, scale), -0.5],
    ["laplace", (m, mu, scale) => m.laplace(mu, scale), -0.5],
    ["logistic", (m, mu, scale) => m.logistic(mu, scale), -0.5],
    ["logNormal", (m, mu, scale) => m.logNormal(mu, scale), 1.5],
    ["halfNormal", (m, _mu, scale) => m.halfNormal(scale), 1.5],
    ["halfCauchy", (m, _mu, scale) => m.halfCauchy(scale), 1.5],
    ["halfStudentT", (m, _mu, scale) => m.halfStudentT(3, scale), 1.5],
    ["exponential", (m, _mu, rate) => m.exponential(rate), 1.5],
    ["gamma", (m, mu, rate) => m.gamma(m.exp(mu), rate), 1.5],
    ["inverseGamma", (m, mu, scale) => m.inverseGamma(m.exp(mu), scale), 1.5],
    ["weibull", (m, mu, scale) => m.weibull(m.exp(mu), scale), 1.5],
    ["poisson", (m, _mu, rate) => m.poisson(rate), 2],
    ["negativeBinomial", (m, mu, rate) => m.negativeBinomial(rate, m.exp(mu)), 2],
  ];
  const scales: [string, (m: ModelAlg, tau: Tensor, s: Tensor) => Tensor][] = [
    ["τ·s", (m, tau, s) => m.mul(tau, s)],
    ["τ/s", (m, tau, s) => m.div(tau, s)],
    ["√(τ·s)", (m, tau, s) => m.sqrt(m.mul(tau, s))],
    ["s·τ²", (m, tau, s) => m.mul(s, m.square(tau))],
    ["τ^1.5·s", (m, tau, s) => m.mul(m.pow(tau, 1.5), s)],
    ["1/(τ·s)", (m, tau, s) => m.div(1, m.mul(tau, s))],
    ["log1p(τ·s)", (m, tau, s) => m.log1p(m.mul(tau, s))],
  ];
  for (const [family, dist, y] of families) {
    it(family, () => {
      for (const [form, scale] of scales) {
        for (const n of [1, 2, 3]) {
          const name = `${family}, scale ${form}, ${n} observation(s)`;
          const mdl = model((m) => {
            const mu = m.sample("mu", m.normal(0, 1));
            const tau = m.sample("tau", m.halfNormal(1));
            const s = m.data(
              "s",
              Array.from({ length: n }, (_, k) => 1.5 + k),
            );
            m.observe("y", dist(m, mu, scale(m, tau, s)), new Array<number>(n).fill(y));
            return {};
          });
          const compiled = compile(mdl, undefined);
          const ref = logDensity(mdl, undefined);
          for (const theta of randomPoints(2, 3, 7)) {
            const grad = new Float64Array(2);
            expectAgree({ logp: compiled.logpGrad(theta, grad), grad }, ref.logpGrad(theta), 1e-10, name);
          }
          carefulAgrees(name, mdl, undefined);
        }
      }
    });
  }
});
