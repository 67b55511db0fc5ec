/**
 * Reverse-mode AD rule by rule (src/autodiff/vjp.ts), before any
 * simplification: for each case, the IR of log p is differentiated with
 * `gradient()`, the raw gradient IR is evaluated through the JavaScript
 * backend, and it is compared with central finite differences of the
 * evaluated log p. The cases are the shared per-op models
 * (test/helpers/opCases.ts) plus IR-level cases for the ops that appear
 * only in gradients (sign, step, trigamma, sumTo, scatterAdd, …) and the
 * rules' branches models seldom reach. A last test checks that every rule
 * of the table ran (leaf ops, whose rules the driver never calls, must at
 * least appear in a differentiated graph).
 *
 * Tolerance: finite differences with h = 1e-6 have truncation error
 * O(h²·f‴) and rounding error O(ε/h) ≈ 1e-10 relative, so the gradient must
 * agree to rtol 1e-5 under the design's rule |a − b| ≤ rtol · max(|b|,
 * ‖g‖∞, 1) (as in test/codegen/js/ops.test.ts): a wrong rule is off by O(1).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { gradient } from "../../src/autodiff/grad.ts";
import { vjpRules } from "../../src/autodiff/vjp.ts";
import type { DensityGraph } from "../../src/codegen/densityGraph.ts";
import { loadDensity } from "../../src/codegen/js/load.ts";
import { plainOf } from "../../src/codegen/js/plain.ts";
import { buildGraph, type ModelGraph } from "../../src/interpreters/graph.ts";
import { Graph } from "../../src/ir/graph.ts";
import type { Node, Op } from "../../src/ir/node.ts";
import { topoSort } from "../../src/ir/walk.ts";
import { expectAgree, numericGradient, randomPoints } from "../helpers/agree.ts";
import { opCases } from "../helpers/opCases.ts";
import { opModel } from "../helpers/opModel.ts";

const RTOL = 1e-5;
const ops = Object.keys(vjpRules) as Op[];
/** Ops whose nodes have no sources: the driver never calls their rules. */
const LEAVES = new Set<Op>(["const", "param", "data", "placeholder"]);

/** Adds to `seen` the op of every node under `roots`, scan bodies included. */
function collectOps(roots: readonly Node[], seen: Set<Op>): void {
  for (const n of topoSort(roots, () => false)) {
    seen.add(n.op);
    if (n.op === "scan") {
      const a = n.arg as Node<"scan">["arg"];
      collectOps([...a.nextCarry, ...a.outputs, ...a.carry, ...a.slices], seen);
    }
  }
}

/** Differentiates `mg.logp` with respect to every parameter leaf, unsimplified, and loads log p and that gradient as JavaScript. */
function differentiate(mg: ModelGraph) {
  const G = mg.graph;
  const grads = gradient(G, mg.logp, G.params);
  const live = grads.filter((g): g is Node => g !== null);
  const dg: DensityGraph = { logp: mg.logp, grads, values: [], roots: [mg.logp, ...live] };
  return loadDensity(plainOf({ ...mg, values: new Map() }, dg));
}

/** The gradient at a few points against central finite differences of log p. */
function expectGradientMatches(mg: ModelGraph, dim: number, name: string): void {
  const density = differentiate(mg);
  for (const theta of randomPoints(dim, 5, 17)) {
    const grad = new Float64Array(dim);
    const logp = density.logpGrad(theta, grad);
    expect(logp, `${name}: log p`).toBe(density.logp(theta));
    const fd = numericGradient((t) => density.logp(t), theta);
    expectAgree({ logp, grad }, { logp, grad: fd }, RTOL, `${name} vs finite differences`);
  }
}

/** A model graph over one flat parameter x ∈ ℝ^dim whose log p is `f(G, x)`, built in IR directly. */
function irGraph(dim: number, f: (G: Graph, x: Node) => Node): ModelGraph {
  const G = new Graph();
  const x = G.param(0, dim, "x");
  const logp = f(G, x);
  return {
    graph: G,
    logp,
    layout: [{ name: "x", shape: [dim], offset: 0, size: dim, transform: { type: "identity" } }],
    values: new Map(),
    observed: new Map(),
  };
}

const idx = (...k: number[]) => Int32Array.from(k);
const vec = (...v: number[]) => Float64Array.from(v);
/** Elements [from, to) of a vector. */
const slice = (G: Graph, x: Node, from: number, to: number) =>
  G.gather(
    x,
    Int32Array.from({ length: to - from }, (_, k) => from + k),
  );
/** exp(x) + 1/4: positive, for ops defined on (0, ∞). */
const pos = (G: Graph, x: Node) => G.binary("add", G.unary("exp", x), G.broadcast(G.scalar(0.25), x.shape));
/** Σ w ⊙ x for a constant weight (so that every element's cotangent differs). */
const weighted = (G: Graph, x: Node, w: Float64Array) => G.sum(G.binary("mul", x, G.constant(w, x.shape)), null);
const square = (G: Graph, x: Node) => G.binary("mul", x, x);
/** Cholesky factor of B Bᵀ + I for B the 3×2 reshape of x (x ∈ ℝ⁶). */
const factor = (G: Graph, x: Node) => {
  const b = G.reshape(x, [3, 2]);
  return G.cholesky(G.binary("add", G.matmul(b, G.transpose(b)), G.constant(vec(1, 0, 0, 0, 1, 0, 0, 0, 1), [3, 3])));
};

/** IR cases for what models do not write: IR-only ops and the rules' remaining branches. */
const irCases: [name: string, dim: number, f: (G: Graph, x: Node) => Node][] = [
  ["trigamma", 3, (G, x) => weighted(G, G.unary("trigamma", pos(G, x)), vec(1, 2, 3))],
  ["sign (zero derivative): sign(x) · x", 3, (G, x) => weighted(G, G.binary("mul", G.unary("sign", x), x), vec(1, -2, 3))],
  ["step (zero derivative): step(x) · x²", 3, (G, x) => weighted(G, G.binary("mul", G.unary("step", x), square(G, x)), vec(1, 2, 3))],
  ["sumTo [2, 3] → [3]", 6, (G, x) => weighted(G, square(G, G.sumTo(G.reshape(G.unary("exp", x), [2, 3]), [3])), vec(1, -2, 3))],
  ["sumTo [2, 3] → [2, 1]", 6, (G, x) => weighted(G, square(G, G.sumTo(G.reshape(G.unary("sin", x), [2, 3]), [2, 1])), vec(1, 2))],
  [
    "scatterAdd with repeated indices and an empty row",
    4,
    (G, x) => weighted(G, square(G, G.scatterAdd(G.unary("exp", x), idx(2, 0, 2, 1), 4)), vec(1, 2, 3, 4)),
  ],
  ["data leaf", 3, (G, x) => weighted(G, square(G, G.binary("mul", x, G.dataLeaf("d", vec(0.5, -1, 2), [3]))), vec(1, 1, 1))],
  ["matmul vector·vector", 6, (G, x) => square(G, G.matmul(slice(G, x, 0, 3), G.unary("exp", slice(G, x, 3, 6))))],
  [
    "matmul matrix·matrix, both depending on x",
    6,
    (G, x) => {
      const a = G.reshape(x, [2, 3]);
      return weighted(G, square(G, G.matmul(a, G.transpose(G.unary("tanh", a)))), vec(1, 2, 3, 4));
    },
  ],
  [
    "triSolve transposed with a vector",
    6,
    (G, x) => weighted(G, square(G, G.triSolve(factor(G, x), slice(G, x, 0, 3), true)), vec(1, 2, 3)),
  ],
  [
    "triSolve with a matrix",
    6,
    (G, x) => weighted(G, square(G, G.triSolve(factor(G, x), G.reshape(x, [3, 2]), false)), vec(1, 2, 3, 4, 5, 6)),
  ],
  ["cumsum", 4, (G, x) => weighted(G, square(G, G.cumsum(x)), vec(1, -1, 2, 3))],
  ["logSumExp over axis 0", 6, (G, x) => weighted(G, G.logSumExp(G.reshape(x, [2, 3]), 0), vec(1, 2, 3))],
  [
    "concat of three",
    4,
    (G, x) => weighted(G, square(G, G.concat([slice(G, x, 0, 1), G.unary("exp", x), slice(G, x, 2, 4)])), vec(1, 2, 3, 4, 5, 6, 7)),
  ],
];

/** A graph whose gradient would need tetragamma's derivative. */
const tetragammaGraph = () => irGraph(2, (G, x) => G.sum(G.unary("tetragamma", pos(G, x)), null));

describe("each VJP rule against finite differences (unsimplified gradient IR)", () => {
  for (const [name, dim, f] of opCases) it(name, () => expectGradientMatches(buildGraph(opModel(dim, f), undefined), dim, name));
  for (const [name, dim, f] of irCases) it(`IR: ${name}`, () => expectGradientMatches(irGraph(dim, f), dim, name));

  it("tetragamma has no rule: differentiating it fails with a clear error", () => {
    const mg = tetragammaGraph();
    expect(() => gradient(mg.graph, mg.logp, mg.graph.params)).toThrow(/second order only \(tetragamma has no rule\)/);
  });
});

describe("coverage of the rule table", () => {
  afterEach(() => vi.restoreAllMocks());

  it("every rule runs on some case above; every leaf op appears in a differentiated graph", () => {
    const spies = new Map(ops.map((op) => [op, vi.spyOn(vjpRules as Record<Op, (...a: never[]) => unknown>, op)]));
    const seen = new Set<Op>();
    const graphs = [
      ...opCases.map(([, dim, f]) => buildGraph(opModel(dim, f), undefined)),
      ...irCases.map(([, dim, f]) => irGraph(dim, f)),
    ];
    for (const mg of graphs) {
      const grads = gradient(mg.graph, mg.logp, mg.graph.params);
      collectOps([mg.logp, ...grads.filter((g): g is Node => g !== null)], seen);
    }
    const t = tetragammaGraph();
    collectOps([t.logp], seen);
    expect(() => gradient(t.graph, t.logp, t.graph.params)).toThrow();
    const missing = ops.filter((op) => (LEAVES.has(op) ? !seen.has(op) : spies.get(op)!.mock.calls.length === 0));
    expect(missing).toEqual([]);
  });
});
