/**
 * Every example compiles to JavaScript (`compile`) and the compiled log
 * density and gradient agree with the reference interpreter at 20 seeded
 * random points of (−2, 2)^d, under the design's rule
 * |a − b| ≤ 1e-10 · max(|b|, ‖∇‖∞, 1), with the same layout.
 */
import { describe, expect, it } from "vitest";
import { benchmarks, type Example, posteriordb } from "../../examples/index.ts";
import { compile } from "../../src/compile.ts";
import { logDensity } from "../../src/interpreters/logDensity.ts";
import { expectAgree, randomPoints } from "../helpers/agree.ts";

const RTOL = 1e-10;

function checkCompiled(name: string, ex: Example, seed: number): void {
  const compiled = compile(ex.model, ex.data);
  const ref = logDensity(ex.model, ex.data);
  expect(compiled.dim, `${name}: dimension`).toBe(ref.dim);
  expect(compiled.layout.map((e) => [e.name, e.offset, e.size]), `${name}: layout`).toEqual(ref.layout.map((e) => [e.name, e.offset, e.size]));
  const grad = new Float64Array(compiled.dim);
  for (const theta of randomPoints(ref.dim, 20, seed)) {
    const logp = compiled.logpGrad(theta, grad);
    expectAgree({ logp, grad }, ref.logpGrad(theta), RTOL, `${name} at θ = [${Array.from(theta, (x) => x.toFixed(3)).join(", ")}]`);
  }
}

describe("compiled benchmark examples agree with the reference interpreter", () => {
  for (const [i, [name, ex]] of Object.entries(benchmarks).entries()) {
    it(name, () => checkCompiled(name, ex, 0x7c0 + i));
  }
});

describe("compiled posteriordb examples agree with the reference interpreter", () => {
  for (const [i, [name, ex]] of Object.entries(posteriordb).entries()) {
    it(name, () => checkCompiled(name, ex, 0x8d0 + i));
  }
});
