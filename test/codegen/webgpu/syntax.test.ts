/**
 * The WGSL backend's text, checked in Node (the shaders themselves run in
 * chromium: test/browser/webgpu.test.ts): float32 literals, helper
 * ordering, and what compile says where there is no WebGPU.
 */
import { describe, expect, it } from "vitest";
import eightSchools, { data } from "../../../examples/eight_schools.ts";
import { compile } from "../../../src/codegen/compile.ts";
import { WebGpuError } from "../../../src/codegen/webgpu/device.ts";
import { INF, literal, NAN, NEG_INF } from "../../../src/codegen/webgpu/literal.ts";
import { helperSource, helpersCalled } from "../../../src/codegen/webgpu/syntax.ts";

describe("WGSL literals", () => {
  it("are abstract floats that read back to the float32 value, ∞ and NaN at run time", () => {
    expect(literal(3)).toBe("3.0");
    expect(literal(-0.5)).toBe("(-0.5)");
    expect(literal(0.1)).toBe(String(Math.fround(0.1)));
    expect(literal(1e-50)).toBe("0.0"); // underflows in float32
    expect(literal(-0)).toBe("(-0.0)");
    expect([literal(1e39), literal(-Infinity), literal(NaN)]).toEqual([INF, NEG_INF, NAN]);
    expect(literal(1e30)).toMatch(/e\+30$/);
  });
});

describe("WGSL helpers", () => {
  it("come with the helpers they call, callees first, each once", () => {
    const src = helperSource(helpersCalled("let y = softplus_(x) + tanh_(x) + sin_(x) + cos_(x);"));
    const order = [...src.matchAll(/^fn (\w+)\(/gm)].map((m) => m[1]);
    expect(new Set(order).size).toBe(order.length);
    for (const [callee, caller] of [
      ["log1p_", "softplus_"],
      ["expm1_", "tanh_"],
      ["quadrant_", "sin_"],
      ["isnan_", "log1p_"],
    ])
      expect(order.indexOf(callee)).toBeLessThan(order.indexOf(caller));
    expect(order).toContain("cos_");
  });
});

describe("compile without WebGPU", () => {
  it("fails with a WebGpuError saying what is missing (Node 20 has no navigator.gpu)", async () => {
    const err = await compile(eightSchools, data, { backend: "webgpu" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebGpuError);
    expect((err as Error).message).toMatch(/no navigator\.gpu.*pass `gpu`/);
  });
});
