/**
 * The stable forms of src/ir/stabilize.ts, one test each: the rewrite
 * happens (the written form's op is gone from the compiled graph), and the
 * compiled log density and gradient are finite and right at a point where
 * the written form's reverse-mode derivative is ∞·0 or 0/0. "Right" is the
 * reference interpreter (rtol 1e-10, both exact up to rounding) where its
 * value is finite and exact, else the closed form given beside the case.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../src/codegen/compile.ts";
import { densityGraph } from "../../src/codegen/densityGraph.ts";
import { model, type ModelAlg } from "../../src/dsl/model.ts";
import type { Tensor } from "../../src/dsl/tensor.ts";
import { buildGraph } from "../../src/interpreters/graph.ts";
import { logDensity } from "../../src/interpreters/logDensity.ts";
import { topoSort } from "../../src/ir/walk.ts";
import { expectAgree } from "../helpers/agree.ts";
import { opModel } from "../helpers/opModel.ts";

type F = (m: ModelAlg, x: Tensor<1>) => Tensor;

/** The ops of the simplified density graph of Σ f(x). */
function opsOf(dim: number, f: F): string[] {
  const mg = buildGraph(opModel(dim, f), undefined);
  return topoSort(densityGraph(mg).roots).map((n) => n.op);
}

/** log p and gradient of Σ f(x) at θ, compiled. */
function compiled(dim: number, f: F, theta: number[]): { logp: number; grad: Float64Array } {
  const d = compile(opModel(dim, f), undefined);
  const grad = new Float64Array(dim);
  return { logp: d.logpGrad(Float64Array.from(theta), grad), grad };
}

const LAMBDA = [0.5, 3, 10, 40];
/** Stan's Hilbert-space GP spectral density, written as Stan writes it, times a coefficient z = x[2]. */
const gp: F = (m, x) => {
  const c = m.mul(m.mul(m.square(m.exp(m.at(x, 0))), Math.sqrt(2 * Math.PI)), m.exp(m.at(x, 1)));
  return m.mul(m.sqrt(m.mul(c, m.exp(m.div(m.neg(m.square(m.mul(m.exp(m.at(x, 1)), LAMBDA))), 2)))), m.at(x, 2));
};

describe("stable forms", () => {
  it("√(c·e^(−(ρλ)²/2)) (a Gaussian process written as Stan writes it) has a finite gradient once the exp underflows", () => {
    // ρ = e³ ≈ 20: e^(−(ρ·40)²/2) underflows; the written form's gradient was NaN in ∂/∂α and ∂/∂ρ.
    const theta = [0, 3, 1];
    expect(opsOf(3, gp)).not.toContain("sqrt");
    expectAgree(compiled(3, gp, theta), logDensity(opModel(3, gp), undefined).logpGrad(theta), 1e-10, "GP spectral density");
  });

  it("√(eˣ) = e^(x/2): finite derivative e^(x/2)/2 where eˣ underflows", () => {
    const f: F = (m, x) => m.sqrt(m.exp(x));
    expect(opsOf(1, f)).not.toContain("sqrt");
    const { logp, grad } = compiled(1, f, [-800]);
    expect(logp).toBeCloseTo(Math.exp(-400), 200);
    expect(grad[0]).toBe(Math.exp(-400) / 2);
  });

  it("√(x²) = |x|: derivative ±1 where x² underflows", () => {
    const f: F = (m, x) => m.sqrt(m.square(x));
    expect(opsOf(1, f)).toContain("abs");
    expect(compiled(1, f, [-1e-200]).grad[0]).toBe(-1);
  });

  it("log(c·eˣ) = log c + x: derivative 1 where eˣ underflows (the written form's is 0/0)", () => {
    const f: F = (m, x) => m.log(m.mul(m.add(m.square(m.at(x, 0)), 1), m.exp(m.at(x, 1))));
    const { logp, grad } = compiled(2, f, [1, -800]);
    expect(logp).toBeCloseTo(Math.log(2) - 800, 10);
    expect(Array.from(grad)).toEqual([1, 1]);
  });

  it("log(eˣ) = x: derivative 1 where eˣ overflows", () => {
    const f: F = (m, x) => m.log(m.exp(x));
    expect(Array.from(compiled(1, f, [800]).grad)).toEqual([1]);
  });

  it("log(√x) = ½·log x: derivative 1/(2x) at a subnormal x", () => {
    const f: F = (m, x) => m.log(m.sqrt(x));
    expect(opsOf(1, f)).not.toContain("sqrt");
    expect(compiled(1, f, [1e-310]).grad[0]).toBeCloseTo(1 / 2e-310, -300);
  });

  it("e^(log x) = x for an x that cannot be negative: derivative σ(y) where softplus(y) underflows", () => {
    const f: F = (m, x) => m.exp(m.log(m.log1pExp(x)));
    expect(opsOf(1, f)).not.toContain("log");
    expect(compiled(1, f, [-800]).grad[0]).toBe(0);
  });

  it("e^(log x) stays for an x that may be negative (the written form is NaN there)", () => {
    expect(compiled(1, (m, x) => m.exp(m.log(x)), [-2]).logp).toBeNaN();
  });

  it("log(1 + eˣ) and log1p(eˣ) = softplus(x): finite where eˣ overflows", () => {
    for (const f of [((m, x) => m.log(m.add(1, m.exp(x)))) as F, ((m, x) => m.log1p(m.exp(x))) as F]) {
      expect(opsOf(1, f)).toContain("softplus");
      const { logp, grad } = compiled(1, f, [800]);
      expect([logp, grad[0]]).toEqual([800, 1]);
    }
  });

  it("log σ(x) = −softplus(−x) and log1p(−σ(x)) = −softplus(x): Stan's logit of an inv_logit is x at x = −800", () => {
    const f: F = (m, x) => m.logit(m.invLogit(x));
    expect(opsOf(1, f)).not.toContain("sigmoid");
    const { logp, grad } = compiled(1, f, [-800]);
    expect(logp).toBeCloseTo(-800, 10);
    expect(grad[0]).toBeCloseTo(1, 12);
  });

  it("log(c + σ(x)) for c ≥ 0 (a count's x·log(p + max(1 − x, 0)) at p = σ(z)): finite where σ(x) underflows", () => {
    // The written form's derivative σ(x)·(1 − σ(x))/(c + σ(x)) is 0/0 at c = 0, x = −800. Closed forms:
    // log σ(x) = −softplus(−x) with derivative σ(−x); elsewhere the written form, exact away from the edges.
    const c = [0, 1, 0.5, 0];
    const f: F = (m, x) => m.log(m.add(m.invLogit(x), m.max(m.sub(1, [1, 0, 0.5, 7]), 0)));
    const x = [-800, -800, 2, 30];
    const sigmoid = (y: number) => 1 / (1 + Math.exp(-y));
    const { logp, grad } = compiled(4, f, x);
    const want = [-800, Math.log1p(sigmoid(-800)), Math.log(0.5 + sigmoid(2)), -Math.log1p(Math.exp(-30))];
    expect(logp).toBeCloseTo(
      want.reduce((a, b) => a + b),
      10,
    );
    const wantGrad = x.map((y, k) => (k === 0 ? 1 : k === 3 ? sigmoid(-30) : (sigmoid(y) * sigmoid(-y)) / (c[k] + sigmoid(y))));
    for (let k = 0; k < 4; k++) expect(grad[k]).toBeCloseTo(wantGrad[k], 14);
  });

  it("the log of a stack with a part that has a stable form is the stack of logs (a two-component mixture's log weights)", () => {
    // log σ(x) = −softplus(−x) and log(1 − σ(x)) = −softplus(x): at x = −800, [−800, 0] with derivatives 1 and 0.
    const f: F = (m, x) => m.log(m.stack([m.invLogit(m.at(x, 0)), m.sub(1, m.invLogit(m.at(x, 0)))]));
    const { logp, grad } = compiled(1, f, [-800]);
    expect([logp, grad[0]]).toEqual([-800, 1]);
  });

  it("log of a reshape or transpose of eˣ is the reshape or transpose of x: derivative 1 where eˣ underflows", () => {
    const f: F = (m, x) => m.log(m.reshape(m.transpose(m.reshape(m.exp(x), [2, 3])), [6]));
    expect(opsOf(6, f)).not.toContain("exp");
    const { logp, grad } = compiled(6, f, [-800, 0, 1, 2, 3, 800]);
    expect([logp, ...grad]).toEqual([6, 1, 1, 1, 1, 1, 1]);
  });

  it("(2·e^(x₀))^(x₁) = e^(x₁·(x₀ + log 2)) (a partial centering's τ^λ): no pow, and finite where e^(x₀) underflows", () => {
    const f: F = (m, x) => m.pow(m.mul(2, m.exp(m.at(x, 0))), m.at(x, 1));
    expect(opsOf(2, f)).not.toContain("pow");
    // Away from the edges the rewrite is exact up to rounding.
    expectAgree(compiled(2, f, [0.3, -1.7]), logDensity(opModel(2, f), undefined).logpGrad([0.3, -1.7]), 1e-10, "power of a scale");
    // e^(−800) underflows: the written form is 0^0.5 = 0 with derivatives 0·∞; the stable one is e^(0.5·(log 2 − 800)).
    const { logp, grad } = compiled(2, f, [-800, 0.5]);
    const value = Math.exp(0.5 * (Math.LN2 - 800));
    expect(logp).toBeCloseTo(value, 200);
    expect(grad[0]).toBeCloseTo(0.5 * value, 200);
    expect(grad[1]).toBeCloseTo((Math.LN2 - 800) * value, 200);
  });

  it("a vector's power of a scalar site's scale (its value reshaped to [] and broadcast) and of a vector of scales lose their pow", () => {
    const mdl = model((m) => {
      const tau = m.sample("tau", m.halfNormal(1));
      const sigma = m.sample("sigma", m.halfNormal(1), { shape: [3] });
      const x = m.sample("x", m.normal(0, 1), { shape: [3] });
      m.factor("powers", m.add(m.sum(m.pow(tau, x)), m.sum(m.pow(sigma, x))));
      return { tau, x };
    });
    const mg = buildGraph(mdl, undefined);
    expect(topoSort(densityGraph(mg).roots).map((n) => n.op)).not.toContain("pow");
    const theta = [0.4, -0.3, 0.2, 0.7, 1.5, -2, 0.25];
    const d = compile(mdl, undefined);
    const grad = new Float64Array(d.dim);
    expectAgree({ logp: d.logpGrad(Float64Array.from(theta), grad), grad }, logDensity(mdl, undefined).logpGrad(theta), 1e-10, "scales");
  });
});
