/**
 * The IR: interning shares structure (CSE for free), constants fold, the
 * verifier rejects ill-formed nodes, and the printer is stable.
 */
import { describe, expect, it } from "vitest";
import { Graph } from "../../src/ir/graph.ts";
import { printIR } from "../../src/ir/print.ts";
import { verifyIR } from "../../src/ir/verify.ts";
import { gradient } from "../../src/autodiff/grad.ts";
import { buildGraph } from "../../src/interpreters/graph.ts";
import { model } from "../../src/dsl/model.ts";

describe("IR graph", () => {
  it("interns equal structures into one node", () => {
    const G = new Graph();
    const p = G.param(0, 3, "x");
    const a = G.unary("exp", p);
    const b = G.unary("exp", G.param(0, 3, "x"));
    expect(a).toBe(b);
    expect(G.binary("add", a, b)).toBe(G.binary("add", a, a));
    expect(G.params).toHaveLength(1);
  });

  it("folds constants and applies identities", () => {
    const G = new Graph();
    const two = G.scalar(2);
    const folded = G.unary("exp", G.binary("mul", two, G.scalar(0.5)));
    expect(folded.op).toBe("const");
    expect(Graph.constValue(folded)?.[0]).toBe(Math.exp(1));
    const p = G.param(0, 1, "x");
    const x = G.reshape(p, []);
    expect(G.binary("mul", x, G.scalar(1))).toBe(x);
    expect(G.binary("add", G.scalar(0), x)).toBe(x);
    expect(G.unary("neg", G.unary("neg", x))).toBe(x);
  });

  it("rejects ill-formed nodes", () => {
    const G = new Graph();
    const p = G.param(0, 3, "x");
    const bad = G.make("exp", [4], [p], undefined);
    expect(() => verifyIR([bad])).toThrow(/IR verifier/);
    const badGather = G.make("gather", [1], [p], { indices: Int32Array.of(5) });
    expect(() => verifyIR([badGather])).toThrow(/out of range/);
  });

  it("prints a model's log density and its gradient stably", () => {
    const simple = model((m, d: { y: number[] }) => {
      const mu = m.sample("mu", m.normal(0, 10));
      const sigma = m.sample("sigma", m.exponential(1));
      m.observe("y", m.normal(mu, sigma), d.y);
      return {};
    });
    const mg = buildGraph(simple, { y: [1, 2, 3] });
    const grads = gradient(mg.graph, mg.logp, mg.graph.params);
    verifyIR([mg.logp, ...grads.filter((g) => g !== null)]);
    const text = printIR([mg.logp]);
    expect(text).toMatch(/param\(\) θ\[0:1\] "mu"/);
    expect(text).toMatch(/data\(\) "y" : \[3\]/);
    expect(text.split("\n").at(-1)).toMatch(/^return %\d+$/);
    // Building twice gives the same text: the printer is a stable golden format.
    expect(printIR([buildGraph(simple, { y: [1, 2, 3] }).logp])).toBe(text);
  });
});
