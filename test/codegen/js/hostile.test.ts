/**
 * Site names and data are never pasted into generated source: names that are
 * prototype keys or Unicode letters with combining marks compile, evaluate
 * like the reference, do not appear in the source, and come back as own
 * properties of the named values (never the prototype's members).
 */
import { describe, expect, it } from "vitest";
import { compile, compilePlain } from "../../../src/codegen/compile.ts";
import { logDensity } from "../../../src/interpreters/logDensity.ts";
import { expectAgree, randomPoints } from "../../helpers/agree.ts";
import { hostile, hostileData as data, hostileNames as names } from "../../helpers/hostile.ts";

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
    for (const name of names.slice(0, 4)) expect(Object.hasOwn(named, name) && named[name] instanceof Float64Array).toBe(true);
    expect(Array.from(named[names[3]])).toEqual([0, 0, 0]);
  });
});
