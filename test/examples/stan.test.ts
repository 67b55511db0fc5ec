/**
 * Each example is its Stan model: at seeded random points, differences of
 * the example's log density at constrained values (`logpConstrained`, no
 * Jacobian) equal differences of an independent plain-JavaScript
 * transcription of the Stan model block (test/examples/stanModels.ts), so
 * the two densities agree up to an additive constant. This catches a wrong
 * lag, a missing prior, a σ for a σ², a uniform whose normalization depends
 * on a parameter (GARCH's β₁ < 1 − α₁), a transposed transition matrix.
 * The points are the constrained images of uniform draws in (−2, 2)^d, so
 * every support, simplex and ordering holds.
 */
import { describe, expect, it } from "vitest";
import { benchmarks, type Example, posteriordb } from "../../examples/index.ts";
import { logDensity } from "../../src/interpreters/logDensity.ts";
import { randomPoints } from "../helpers/agree.ts";
import { stanBenchmarks, stanPosteriordb, type Values } from "./stanModels.ts";
import type { Numeric } from "../../src/tensor/shape.ts";

/** Relative tolerance on differences of log densities (both sides are sums of O(N) terms in float64). */
const RTOL = 1e-9;

/** A flat value with its shape as the nested arrays `logpConstrained` takes. */
function nested(values: Float64Array, shape: readonly number[]): Numeric {
  if (shape.length === 0) return values[0];
  if (shape.length === 1) return Array.from(values);
  const [rows, cols] = shape;
  return Array.from({ length: rows }, (_, i) => Array.from(values.subarray(i * cols, (i + 1) * cols)));
}

function checkAgainstStan(name: string, ex: Example, stan: (p: Values, d: never) => number, seed: number): void {
  const ref = logDensity(ex.model, ex.data);
  const latent = new Set(ref.layout.map((e) => e.name));
  const at = randomPoints(ref.dim, 4, seed).map((theta) => {
    const all = ref.constrain(theta);
    const given: Record<string, Numeric> = {};
    const plain: Record<string, Float64Array> = {};
    for (const [k, v] of Object.entries(all)) {
      if (!latent.has(k)) continue;
      given[k] = nested(v.values, v.shape);
      plain[k] = v.values;
    }
    return { ours: ref.logpConstrained(given), stan: stan(plain, ex.data as never) };
  });
  for (const p of at) expect(Number.isFinite(p.ours) && Number.isFinite(p.stan), `${name}: finite (${p.ours}, ${p.stan})`).toBe(true);
  for (let i = 1; i < at.length; i++) {
    const ours = at[i].ours - at[0].ours;
    const stan = at[i].stan - at[0].stan;
    const scale = Math.max(Math.abs(at[i].ours), Math.abs(at[0].ours), 1);
    expect(Math.abs(ours - stan), `${name}: point ${i}: Δ log p ${ours} vs Stan's ${stan}`).toBeLessThanOrEqual(RTOL * scale);
  }
}

describe("benchmark examples equal their Stan models up to a constant", () => {
  for (const [i, [name, ex]] of Object.entries(benchmarks).entries()) {
    it(name, () => checkAgainstStan(name, ex, stanBenchmarks[name], 0x5a0 + i));
  }
});

describe("posteriordb examples equal their Stan models up to a constant", () => {
  for (const [i, [name, ex]] of Object.entries(posteriordb).entries()) {
    it(name, () => {
      expect(stanPosteriordb[name], `${name}: no Stan transcription in stanModels.ts`).toBeDefined();
      checkAgainstStan(name, ex, stanPosteriordb[name], 0x6b0 + i);
    });
  }
});
