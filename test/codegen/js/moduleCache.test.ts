/**
 * The per-process cache of generated modules (src/codegen/js/moduleCache.ts):
 * the same graph with other data values has the same key, and its density
 * reads its own data; a graph that differs anywhere code generation looks
 * (a constant, a large constant's one element, −0, an index table, a scan
 * body, the log-Jacobian, a name) has a key of its own. Each density is
 * checked bit for bit against one generated without the cache (plainOf),
 * after the other model of its pair has been compiled.
 */
import { describe, expect, it } from "vitest";
import { loadDensity } from "../../../src/codegen/js/load.ts";
import { compilePlain, plainOf } from "../../../src/codegen/js/plain.ts";
import { model, type Model, type ModelAlg } from "../../../src/dsl/model.ts";
import type { Tensor } from "../../../src/dsl/tensor.ts";
import { moduleKey } from "../../../src/codegen/js/moduleCache.ts";
import { buildGraph, type GraphOptions } from "../../../src/interpreters/graph.ts";
import { randomPoints } from "../../helpers/agree.ts";

/** log p and gradient at a few points. */
function evaluations(plain: ReturnType<typeof compilePlain>): number[][] {
  const d = loadDensity(plain);
  return randomPoints(plain.dim, 3, 5).map((theta) => {
    const grad = new Float64Array(d.dim);
    return [d.logpGrad(theta, grad), ...grad];
  });
}

/** Compiled through the cache, and generated afresh: the same values, bit for bit. */
function expectFresh<D>(mdl: Model<D>, data: D, opts: GraphOptions = {}): number[][] {
  const cached = compilePlain(mdl, data, opts);
  const fresh = plainOf(buildGraph(mdl, data, opts));
  expect(cached.source).toBe(fresh.source);
  expect(cached.data).toEqual(fresh.data);
  const values = evaluations(cached);
  expect(values).toEqual(evaluations(fresh));
  return values;
}

/** A model with its data and graph options: the cache's key of its graph, and its density checked against a fresh one. */
interface Compiled {
  readonly key: () => string;
  readonly fresh: () => number[][];
}
const compiled = <D>(mdl: Model<D>, data: D, opts: GraphOptions = {}): Compiled => ({
  key: () => moduleKey(buildGraph(mdl, data, opts)),
  fresh: () => expectFresh(mdl, data, opts),
});

/** Σ f(x) over x ∈ ℝ³ with a normal prior. */
const ofX = (f: (m: ModelAlg, x: Tensor<1>) => Tensor) =>
  model((m) => {
    const x = m.sample("x", m.normal(0, 1), { shape: [3] });
    m.factor("f", m.sum(f(m, x)));
    return {};
  });

const withData = model((m, d: { y: number[]; s: number[] }) => {
  const mu = m.sample("mu", m.normal(0, 5));
  const tau = m.sample("tau", m.halfNormal(1));
  m.observe("y", m.normal(mu, m.mul(tau, m.data("s", d.s))), d.y);
  return { mu };
});

describe("the module cache", () => {
  it("keys the same graph with other data values alike, and the density reads its own data", () => {
    const a = compilePlain(withData, { y: [1, 2, 3], s: [1, 1, 2] });
    expect(compiled(withData, { y: [-4, 0.5, 9], s: [3, 0.2, 1] }).key()).toBe(compiled(withData, { y: [1, 2, 3], s: [1, 1, 2] }).key());
    const values = expectFresh(withData, { y: [-4, 0.5, 9], s: [3, 0.2, 1] });
    expect(values).not.toEqual(evaluations(a));
  });

  const large = (k: number) => Array.from({ length: 100 }, (_, i) => (i === k ? 7 : i / 10));
  const pairs: [string, Compiled, Compiled][] = [
    [
      "a constant",
      compiled(
        ofX((m, x) => m.mul(x, 5)),
        undefined,
      ),
      compiled(
        ofX((m, x) => m.mul(x, 6)),
        undefined,
      ),
    ],
    [
      "one element of a constant of 100 (beyond what the graph compares when it interns)",
      compiled(
        ofX((m, x) => m.mul(m.sum(m.mul(m.at(x, 0), large(3))), x)),
        undefined,
      ),
      compiled(
        ofX((m, x) => m.mul(m.sum(m.mul(m.at(x, 0), large(4))), x)),
        undefined,
      ),
    ],
    [
      "an index table",
      compiled(
        ofX((m, x) => m.mul(m.gather(x, [0, 1, 1]), x)),
        undefined,
      ),
      compiled(
        ofX((m, x) => m.mul(m.gather(x, [0, 2, 1]), x)),
        undefined,
      ),
    ],
    [
      "a constant inside a scan's body",
      compiled(
        ofX((m, x) => m.scan(([c], [v]) => ({ carry: [m.add(m.mul(c, 0.5), v)], outputs: [] }), [0], [x]).carry[0]),
        undefined,
      ),
      compiled(
        ofX((m, x) => m.scan(([c], [v]) => ({ carry: [m.add(m.mul(c, 0.25), v)], outputs: [] }), [0], [x]).carry[0]),
        undefined,
      ),
    ],
    [
      "the log-Jacobian",
      compiled(withData, { y: [1], s: [2] }, { jacobian: true }),
      compiled(withData, { y: [1], s: [2] }, { jacobian: false }),
    ],
  ];
  for (const [what, first, second] of pairs) {
    it(`keys a graph that differs in ${what} apart, and each compiles to its own density`, () => {
      expect(second.key()).not.toBe(first.key());
      const a = first.fresh();
      const b = second.fresh();
      expect(b).not.toEqual(a);
      // And back: the first model's kept module is still its own.
      expect(first.fresh()).toEqual(a);
    });
  }

  it("keys −0 and 0 in a constant apart (1/−0 is −∞)", () => {
    const k = (z: number) =>
      compiled(
        ofX((m, x) => m.div(1, m.add(m.exp(x), [1, z, 0]))),
        undefined,
      ).key();
    expect(k(-0)).not.toBe(k(0));
  });

  it("keys other names apart: a density's layout has its own names", () => {
    const named = (name: string) =>
      model((m) => {
        const x = m.sample(name, m.normal(0, 1));
        return { x };
      });
    expect(compiled(named("b"), undefined).key()).not.toBe(compiled(named("a"), undefined).key());
    compilePlain(named("a"), undefined);
    expect(compilePlain(named("b"), undefined).layout[0].name).toBe("b");
  });
});
