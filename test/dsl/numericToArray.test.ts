/**
 * Nested arrays into tensors (numericToArray, src/dsl/math.ts): any rank,
 * and a ShapeError naming the site and the element for anything else (a
 * rank-3 data value used to become NaNs, an element that was not a number a
 * silent NaN).
 */
import { describe, expect, it } from "vitest";
import { numericToArray } from "../../src/dsl/math.ts";
import { model } from "../../src/dsl/model.ts";
import { ShapeError } from "../../src/errors.ts";
import { compile } from "../../src/codegen/compile.ts";
import type { Numeric } from "../../src/tensor/shape.ts";
import { thrown } from "../helpers/thrown.ts";

describe("numericToArray", () => {
  it("reads any rank row-major", () => {
    expect(numericToArray([[[1, 2]], [[3, 4]]] as unknown as Numeric)).toEqual({ values: Float64Array.of(1, 2, 3, 4), shape: [2, 1, 2] });
    expect(numericToArray(5)).toEqual({ values: Float64Array.of(5), shape: [] });
    expect(numericToArray([[]])).toEqual({ values: new Float64Array(0), shape: [1, 0] });
  });

  it.each([
    [[[1, 2], [3]], "site 'y': ragged array: element [1] has length 1 where [0] has length 2"],
    [
      [
        [[1], [2]],
        [[3], 4],
      ],
      "site 'y': ragged array: element [1][1] is the number 4 where [0][0] has length 1",
    ],
    [[1, "2"], `site 'y': element [1] is the string "2", not a number`],
    [[[[1]], [[null]]], "site 'y': element [1][0][0] is null, not a number"],
    ["x", `site 'y': the value is the string "x", not a number`],
  ])("%j is a ShapeError naming the element", (bad, message) => {
    expect(thrown(() => numericToArray(bad as unknown as Numeric, "y"), ShapeError).message).toBe(message);
  });

  it("a rank-3 data value works in a model", () => {
    const cube = [
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [
        [7, 8, 9],
        [10, 11, 12],
      ],
    ];
    const mdl = model((m, d: { x: Numeric }) => {
      const mu = m.sample("mu", m.normal(0, 1));
      m.factor("f", m.mul(mu, m.sum(m.data("x", d.x))));
      return {};
    });
    const density = compile(mdl, { x: cube as unknown as Numeric });
    // log p = log N(mu; 0, 1) + mu · Σx with Σx = 78; its derivative at mu = 0.5 is −0.5 + 78.
    const grad = new Float64Array(1);
    density.logpGrad(Float64Array.of(0.5), grad);
    expect(grad[0]).toBeCloseTo(77.5, 12);
  });
});
