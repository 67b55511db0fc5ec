/**
 * Site names and data are never pasted into generated source: names full of
 * quotes, backticks, template holes, newlines and prototype keys compile,
 * evaluate like the reference, and do not appear in the source.
 */
import { describe, expect, it } from "vitest";
import { compile, compilePlain } from "../../src/compile.ts";
import { model } from "../../src/dsl/model.ts";
import { logDensity } from "../../src/interpreters/logDensity.ts";
import { expectAgree, randomPoints } from "../helpers/agree.ts";

const names = ["a\"b'c", "`${process.exit(1)}`", "line\nbreak", "__proto__", "constructor", "</script><x>", "\\u0000\\"];

const hostile = model((m, d: { values: number[] }) => {
  const mu = m.sample(names[0], m.normal(0, 1));
  const s = m.sample(names[1], m.halfNormal(1));
  const z = m.sample(names[2], m.normal(mu, s), { shape: [3] });
  m.deterministic(names[3], m.mul(z, 2));
  m.observe(names[4], m.normal(m.sum(z), s), m.data(names[5], d.values));
  m.factor(names[6], m.neg(m.square(mu)));
  return {};
});
const data = { values: [0.5, -1.25, 3] };

describe("hostile names and data", () => {
  it("compile, evaluate like the reference, and never reach the source", () => {
    const plain = compilePlain(hostile, data);
    for (const name of names) expect(plain.source.includes(name)).toBe(false);
    expect(plain.source).not.toMatch(/process|script/);
    expect(plain.layout.map((e) => e.name)).toEqual(names.slice(0, 3));
    const compiled = compile(hostile, data);
    const ref = logDensity(hostile, data);
    for (const theta of randomPoints(compiled.dim, 5, 3)) {
      const grad = new Float64Array(compiled.dim);
      expectAgree({ logp: compiled.logpGrad(theta, grad), grad }, ref.logpGrad(theta), 1e-10, "hostile");
    }
    const named = compiled.constrainNamed(new Float64Array(compiled.dim));
    expect(Object.keys(named)).toEqual([names[0], names[1], names[2], names[3]]);
    expect(Object.getPrototypeOf(named)).toBe(Object.prototype);
    expect(Array.from(named[names[3]])).toEqual([0, 0, 0]);
  });
});
