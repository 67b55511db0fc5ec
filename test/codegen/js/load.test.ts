/**
 * Densities of one model compiled again in a process share their
 * generated code (src/codegen/js/load.ts keeps the module's factory), but
 * never their state: data, buffers and results stay each density's own.
 */
import { describe, expect, it } from "vitest";
import eightSchools, { data } from "../../../examples/eight_schools.ts";
import { compile } from "../../../src/codegen/compile.ts";

describe("a model compiled twice", () => {
  it("gives two densities with the same values and separate data", () => {
    const [a, b] = [compile(eightSchools, data), compile(eightSchools, data)];
    const theta = Float64Array.from({ length: a.dim }, (_, i) => 0.1 * i - 0.3);
    const [ga, gb] = [new Float64Array(a.dim), new Float64Array(b.dim)];
    expect(a.logpGrad(theta, ga)).toBe(b.logpGrad(theta, gb));
    expect(gb).toEqual(ga);
    const before = b.logp(theta);
    a.setData({ y: data.y.map((y) => y + 10) });
    expect(a.logp(theta)).not.toBe(before);
    expect(b.logp(theta)).toBe(before);
    // Interleaved calls do not see each other's buffers.
    const gb2 = new Float64Array(b.dim);
    a.logpGrad(theta, ga);
    b.logpGrad(theta, gb2);
    expect(gb2).toEqual(gb);
  });
});
