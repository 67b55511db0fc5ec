/**
 * The simplifier's structure: loop-invariant factors leave sums, size-1
 * dimensions leave computations, identities remove work, and the result is
 * well-formed IR. (Values are checked end to end against the reference
 * interpreter in test/codegen/js/simplify.test.ts and test/examples.)
 */
import { describe, expect, it } from "vitest";
import { gradient } from "../../src/autodiff/grad.ts";
import { type Model, model, type ModelAlg, type Outputs } from "../../src/dsl/model.ts";
import type { Tensor } from "../../src/dsl/tensor.ts";
import { buildGraph } from "../../src/interpreters/graph.ts";
import type { Node } from "../../src/ir/node.ts";
import { simplify } from "../../src/ir/simplify.ts";
import { verifyIR } from "../../src/ir/verify.ts";
import { topoSort } from "../../src/ir/walk.ts";

/** The simplified log density and gradient of a model. */
function simplified<D>(mdl: Model<D, Outputs>, data: D): Node[] {
  const mg = buildGraph(mdl, data);
  const grads = gradient(mg.graph, mg.logp, mg.graph.params).filter((g): g is Node => g !== null);
  const out = simplify(mg.graph, [mg.logp, ...grads]);
  verifyIR(out);
  return out;
}

/** The simplified IR of Σ f(x) for a vector parameter x of length `dim`. */
function ofSum(dim: number, f: (m: ModelAlg, x: Tensor<1>) => Tensor): Node[] {
  const mdl = model((m) => {
    const x = m.sample("x", m.flat(), { shape: [dim] });
    m.factor("f", m.sum(f(m, x)));
    return {};
  });
  return simplified(mdl, undefined);
}

const opsOf = (roots: readonly Node[], keep: (n: Node) => boolean) =>
  topoSort(roots)
    .filter(keep)
    .map((n) => n.op);

describe("simplify", () => {
  it("takes loop invariants out of sums: a normal likelihood sums (y − μ)² and y − μ only", () => {
    const simple = model((m, d: { y: number[] }) => {
      const mu = m.sample("mu", m.normal(0, 10));
      const sigma = m.sample("sigma", m.exponential(1));
      m.observe("y", m.normal(mu, sigma), d.y);
      return {};
    });
    const roots = simplified(simple, { y: [1, 2, 3, 4, 5] });
    const perElement = topoSort(roots).filter((n) => n.shape.length === 1 && n.shape[0] === 5);
    // y, broadcast μ, y − μ and its square: no division, no scale, no constant per element.
    expect(perElement.map((n) => n.op).sort()).toEqual(["broadcast", "data", "mul", "sub"]);
    const sums = topoSort(roots).filter((n) => n.op === "sum");
    expect(sums.map((n) => n.src[0].op).sort()).toEqual(["mul", "sub"]);
    // Σ(y − μ), not Σy − nμ, whose terms would cancel near the mode.
    const diff = sums.find((n) => n.src[0].op === "sub")?.src[0];
    expect(sums.find((n) => n.src[0].op === "mul")?.src[0].src).toEqual([diff, diff]);
  });

  it("computes scalar parameters' arithmetic on scalars, not one-element arrays", () => {
    const mdl = model((m) => {
      const a = m.sample("a", m.normal(0, 1));
      const b = m.sample("b", m.exponential(1));
      m.factor("f", m.mul(m.exp(a), b));
      return {};
    });
    const roots = simplified(mdl, undefined);
    const oneElement = topoSort(roots).filter((n) => n.shape.length === 1 && n.shape[0] === 1);
    // Only the parameters and the gradient roots (reshaped back to [1]) keep the shape.
    for (const n of oneElement) expect(n.op === "param" || (n.op === "reshape" && roots.includes(n))).toBe(true);
  });

  it("drops size-1 dimensions, so a column and a vector of the same elements share one shape", () => {
    const roots = ofSum(4, (m, x) => m.mul(m.reshape(x, [4, 1]), m.reshape(m.exp(x), [4, 1])));
    expect(topoSort(roots).filter((n) => n.shape.length === 2)).toEqual([]);
  });

  it("cancels factors and removes log ∘ exp", () => {
    const roots = ofSum(3, (m, x) => m.add(m.div(m.mul(x, m.exp(x)), m.exp(x)), m.log(m.exp(m.mul(x, 2)))));
    expect(opsOf(roots, (n) => n.shape.length > 0)).not.toContain("exp");
    expect(opsOf(roots, (n) => n.shape.length > 0)).not.toContain("log");
    expect(opsOf(roots, (n) => n.shape.length > 0)).not.toContain("div");
  });

  it("evaluates softplus and sigmoid of an expression and of its negation once", () => {
    const roots = ofSum(3, (m, x) => m.add(m.log1pExp(m.neg(m.mul(x, 3))), m.log1pExp(m.mul(x, 3))));
    expect(opsOf(roots, () => true).filter((op) => op === "softplus")).toHaveLength(1);
    expect(opsOf(roots, () => true).filter((op) => op === "sigmoid")).toHaveLength(1);
  });

  it("folds squares and reciprocals of exponentials: a funnel's scale costs one exp and no division", () => {
    const funnel = model((m) => {
      const y = m.sample("y", m.normal(0, 3));
      m.sample("x", m.normal(0, m.exp(m.div(y, 2))), { shape: [9] });
      return {};
    });
    const nodes = topoSort(simplified(funnel, undefined));
    expect(nodes.filter((n) => n.op === "exp")).toHaveLength(1);
    expect(nodes.filter((n) => n.op === "div")).toEqual([]);
  });

  it("gathers data-only factors into one node", () => {
    const mdl = model((m, d: { s: number[]; y: number[] }) => {
      const theta = m.sample("theta", m.normal(0, 1), { shape: [3] });
      m.observe("y", m.normal(theta, m.data("s", d.s)), d.y);
      return {};
    });
    const roots = simplified(mdl, { s: [1, 2, 3], y: [0.5, -1, 2] });
    // 1/s² is one data-only node; per element no division remains.
    const divs = topoSort(roots).filter((n) => n.op === "div" && n.shape.length === 1);
    expect(divs).toHaveLength(1);
    expect(divs[0].src[1].src.every((s) => s.op === "data")).toBe(true);
  });
});
