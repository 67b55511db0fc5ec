/**
 * withLocalArrays (src/codegen/js/syntax.ts): a generated body reads the
 * module-level arrays it uses through locals, renaming whole identifiers only.
 */
import { describe, expect, it } from "vitest";
import { withLocalArrays } from "../../../src/codegen/js/syntax.ts";

describe("withLocalArrays", () => {
  it("declares a local for each array the body uses, in order of first use, and reads it there", () => {
    const body = ["  b2[0] = b23[1] + D0[2];", "  W.gemv(D0, b2, b2, 1, 1);", "  return Math.exp(s2);"].join("\n");
    expect(withLocalArrays(body, new Set(["b2", "D0", "C7"]))).toBe(
      ["  const _b2 = b2, _D0 = D0;", "  _b2[0] = b23[1] + _D0[2];", "  W.gemv(_D0, _b2, _b2, 1, 1);", "  return Math.exp(s2);"].join("\n"),
    );
  });

  it("leaves a body that uses none of the arrays as it is", () => {
    const body = "  const s4 = th[0];\n  return s4 * s4;";
    expect(withLocalArrays(body, new Set(["b1", "D0"]))).toBe(body);
  });
});
