/**
 * The text arithmetic: one typed `const` per operation, operands never
 * needing parentheses (negative literals included), each expression named
 * once.
 */
import { describe, expect, it } from "vitest";
import { textArith } from "../../../src/codegen/ts/arith.ts";

/** Runs the statements (types stripped: they are TypeScript) and returns the value of `result` at `x`. */
function run(lines: readonly string[], result: string, x: number): unknown {
  const body = lines.join("\n").replace(/: (number|boolean) =/g, " =");
  return new Function("x", `${body}\nreturn ${result};`)(x);
}

describe("textArith", () => {
  it("writes one typed const per operation and names an expression once", () => {
    const A = textArith();
    const y = A.mul(A.add("x", A.c(1)), "x");
    expect(A.add("x", A.c(1))).toBe("t0");
    expect(A.lines).toEqual(["const t0: number = x + 1;", "const t1: number = t0 * x;"]);
    expect(y).toBe("t1");
  });

  it("keeps negative literals, −0 and non-finite constants intact as operands", () => {
    const A = textArith();
    const a = A.neg(A.c(-2));
    const b = A.sub("x", A.c(-0.5));
    const z = A.div(A.c(1), A.c(-0));
    const w = A.where(A.isNaN("x"), A.c(Infinity), A.mul(A.c(-Infinity), "x"));
    expect(run(A.lines, a, 0)).toBe(2);
    expect(run(A.lines, b, 1)).toBe(1.5);
    expect(run(A.lines, z, 0)).toBe(-Infinity);
    expect(run(A.lines, w, NaN)).toBe(Infinity);
    expect(run(A.lines, w, 2)).toBe(-Infinity);
  });

  it("writes comparisons and their combinations as booleans", () => {
    const A = textArith("u");
    const c = A.or(A.and(A.lt("x", A.c(1)), A.le(A.c(0), "x")), A.eq("x", A.c(5)));
    expect(A.lines.filter((l) => l.includes(": boolean")).length).toBe(5);
    expect([0, 0.5, 1, 5, -1].map((x) => run(A.lines, c, x))).toEqual([true, true, false, true, false]);
  });
});
