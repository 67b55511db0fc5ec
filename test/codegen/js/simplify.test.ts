/**
 * What the simplifier and the loop fusion do to generated code, end to end:
 * algebraic rewrites keep the reference interpreter's values (rtol 1e-10),
 * data-only values follow `setData`, and the generated loops look like a
 * hand-written gradient's (one loop over the data, no division in it, no
 * table lookups through an array of arrays).
 */
import { describe, expect, it } from "vitest";
import { compile, compilePlain } from "../../../src/codegen/compile.ts";
import { model, type ModelAlg } from "../../../src/dsl/model.ts";
import type { Tensor } from "../../../src/dsl/tensor.ts";
import { logDensity } from "../../../src/interpreters/logDensity.ts";
import { opModel } from "../../helpers/opModel.ts";
import { expectAgree, randomPoints } from "../../helpers/agree.ts";
import { functionSource } from "../../helpers/moduleSource.ts";

type Case = [name: string, dim: number, f: (m: ModelAlg, x: Tensor<1>) => Tensor];

const w = [0.5, -1.5, 2, 0.25];
const cases: Case[] = [
  ["a scalar factor of a sum", 4, (m, x) => m.mul(m.exp(m.at(x, 0)), m.square(m.sub(x, m.at(x, 1))))],
  ["a sum of terms with shared and distinct factors", 4, (m, x) => m.sub(m.mul(m.mul(x, 3), m.exp(x)), m.mul(m.exp(x), m.at(x, 2)))],
  ["division by a scalar and by a vector", 4, (m, x) => m.div(m.div(x, m.exp(m.at(x, 3))), m.add(m.exp(x), 1))],
  ["factors that cancel", 4, (m, x) => m.div(m.mul(m.sin(x), m.exp(x)), m.exp(x))],
  [
    "data-only factors",
    4,
    (m, x) =>
      m.div(
        m.div(
          m.mul(x, w),
          w.map((v) => v * v),
        ),
        [1, 2, 3, 4],
      ),
  ],
  ["integer powers", 4, (m, x) => m.add(m.pow(m.add(m.exp(x), 0.5), 3), m.pow(m.add(m.exp(x), 1), -2))],
  [
    "functions of a negated expression",
    4,
    (m, x) => m.add(m.add(m.log1pExp(m.neg(m.mul(x, 4))), m.invLogit(m.sub(m.at(x, 0), x))), m.add(m.tanh(m.neg(x)), m.cos(m.neg(x)))),
  ],
  ["log of exp", 4, (m, x) => m.mul(m.log(m.exp(m.mul(x, 2))), m.exp(x))],
  [
    "squares and reciprocals of exponentials",
    4,
    (m, x) => m.add(m.div(x, m.square(m.exp(m.mul(m.at(x, 0), 0.5)))), m.div(1, m.square(m.exp(m.sub(x, m.at(x, 1)))))),
  ],
  ["a column", 4, (m, x) => m.mul(m.reshape(x, [4, 1]), m.reshape(m.exp(x), [4, 1]))],
  ["concatenated and padded rows", 4, (m, x) => m.mul(m.concat([m.slice(x, 0, 1), m.sub(m.slice(x, 1, 4), m.slice(x, 0, 3))]), m.exp(x))],
  [
    "a scan inside a scan (bodies are simplified, carry histories recorded where read)",
    4,
    (m, x) => {
      const phi = m.tanh(m.at(x, 0));
      const { carry } = m.scan(
        ([c], [y]) => {
          const inner = m.scan(([d], [z]) => ({ carry: [m.add(m.mul(phi, d), z)], outputs: [m.square(d)] }), [c], [m.slice(x, 1, 4)]);
          return { carry: [m.add(m.mul(0.5, inner.carry[0]), y)], outputs: [m.sum(inner.outputs[0])] };
        },
        [m.at(x, 1)],
        [m.slice(x, 0, 3)],
      );
      return m.neg(m.square(carry[0]));
    },
  ],
];

describe("simplified and fused code agrees with the reference", () => {
  for (const [name, dim, f] of cases) {
    it(name, () => {
      const mdl = opModel(dim, f);
      const compiled = compile(mdl, undefined);
      const ref = logDensity(mdl, undefined);
      for (const theta of randomPoints(dim, 5, 23)) {
        const grad = new Float64Array(dim);
        const logp = compiled.logpGrad(theta, grad);
        expect(compiled.logp(theta)).toBe(logp);
        expectAgree({ logp, grad }, ref.logpGrad(theta), 1e-10, name);
      }
    });
  }
});

const regression = model((m, d: { y: number[]; s: number[] }) => {
  const mu = m.sample("mu", m.normal(0, 5));
  const theta = m.sample("theta", m.normal(mu, 1), { shape: [d.y.length] });
  m.observe("y", m.normal(theta, m.data("s", d.s)), d.y);
  return {};
});

describe("data-only values", () => {
  it("are recomputed after setData", () => {
    const data = { y: [1, -2, 0.5], s: [1, 2, 4] };
    const d = compile(regression, data);
    const next = { y: [3, 0, -1], s: [0.5, 3, 1.5] };
    d.setData(next);
    const ref = logDensity(regression, next);
    for (const theta of randomPoints(d.dim, 3, 5)) {
      const grad = new Float64Array(d.dim);
      expectAgree({ logp: d.logpGrad(theta, grad), grad }, ref.logpGrad(theta), 1e-10, "after setData");
    }
  });

  it("survive the plain form", () => {
    const d = compile(regression, { y: [1, -2, 0.5], s: [1, 2, 4] });
    d.setData({ s: [2, 2, 2] });
    const again = compile(regression, { y: [1, -2, 0.5], s: [2, 2, 2] });
    const theta = Float64Array.of(0.1, 0.2, -0.3, 0.4);
    expect(d.logp(theta)).toBe(again.logp(theta));
  });
});

describe("generated loops", () => {
  const simple = model((m, d: { y: number[] }) => {
    const mu = m.sample("mu", m.normal(0, 10));
    const sigma = m.sample("sigma", m.exponential(1));
    m.observe("y", m.normal(mu, sigma), d.y);
    return {};
  });
  const source = compilePlain(simple, { y: [1, 2, 3, 4, 5, 6] }).source;
  const logpGrad = functionSource(source, "logpGrad");

  it("visit the data once per gradient, without division or nested table lookups", () => {
    expect(logpGrad.match(/for \(/g)).toHaveLength(1);
    const loop = logpGrad.slice(logpGrad.indexOf("for ("), logpGrad.indexOf("\n  }\n"));
    expect(loop).not.toMatch(/\//);
    expect(logpGrad).not.toMatch(/[DCI]\[\d+\]\[/);
  });

  it("write scalar constants as literals", () => {
    expect(compilePlain(simple, { y: [1, 2, 3, 4, 5, 6] }).consts).toEqual([]);
  });
});

describe("a model too large for one function", () => {
  it("is split into parts with bounded loops and agrees with the reference", () => {
    const K = 40;
    const many = model((m, d: { y: number[] }) => {
      for (let k = 0; k < K; k++)
        m.observe(`y${k}`, m.normal(m.sample(`mu${k}`, m.normal(0, 1)), m.sample(`s${k}`, m.exponential(1))), d.y);
      return {};
    });
    const data = { y: [1, 2, 3, 4, 5, 6, 7, 8] };
    const source = compilePlain(many, data).source;
    expect(source).toMatch(/^function partG_0\(/m);
    for (const f of source.split(/^function /m)) expect(f.split("\n").length).toBeLessThan(700);
    const d = compile(many, data);
    const ref = logDensity(many, data);
    for (const theta of randomPoints(d.dim, 2, 9)) {
      const grad = new Float64Array(d.dim);
      expectAgree({ logp: d.logpGrad(theta, grad), grad }, ref.logpGrad(theta), 1e-10, "split model");
    }
  });
});
