/**
 * Prior draws of every example lie where the model has finite log density:
 * the prior sampler and the density agree on supports, shapes and layout.
 * Models with an improper prior (flat, half-flat) have no prior draws and
 * must say so with a ModelError naming the site. A prior that puts mass
 * beyond float64 (`overflowing`) may instead stop with a ModelError at the
 * site whose parameter came out infinite.
 */
import { describe, expect, it } from "vitest";
import { benchmarks, type Example, posteriordb } from "../../examples/index.ts";
import { ModelError } from "../../src/errors.ts";
import { nest, priorSample } from "../../src/interpreters/prior.ts";
import { logDensity } from "../../src/interpreters/logDensity.ts";
import type { Numeric } from "../../src/tensor/shape.ts";

const DRAWS = 5;

/**
 * Priors whose draws overflow float64, with the site the sampler stops at.
 * surgical: σ² ~ Inv-Gamma(0.001, 0.001) is 0.001 / Gamma(0.001, 1), and
 * about half of Gamma(0.001, 1) draws underflow to 0 (P(G < 1e-305) ≈ 0.5),
 * so σ² = +∞ and b ~ Normal(μ, √σ²) has no finite scale.
 */
const overflowing: Readonly<Record<string, string>> = { "surgical_data-surgical_model": "b" };

function checkPrior(name: string, ex: Example, seed: number): void {
  const ref = logDensity(ex.model, ex.data);
  let prior: ReturnType<typeof priorSample>;
  try {
    prior = priorSample(ex.model, ex.data, { draws: DRAWS, seed });
  } catch (e) {
    expect(e, `${name}: ${String(e)}`).toBeInstanceOf(ModelError);
    if (name in overflowing && (e as ModelError).site === overflowing[name]) {
      expect((e as ModelError).message).toMatch(/= Infinity/);
      return;
    }
    expect((e as ModelError).message).toMatch(/improper/);
    expect(ref.layout.map((l) => l.name)).toContain((e as ModelError).site);
    return;
  }
  for (let i = 0; i < DRAWS; i++) {
    const at: Record<string, Numeric> = {};
    for (const e of ref.layout) at[e.name] = nest(prior.sites[e.name].values[i], e.shape) as Numeric;
    const lp = ref.logpConstrained(at);
    expect(Number.isFinite(lp), `${name}: prior draw ${i} has log p ${lp}`).toBe(true);
  }
}

describe("prior draws have finite log density", () => {
  const all = [...Object.entries(benchmarks), ...Object.entries(posteriordb)];
  for (const [i, [name, ex]] of all.entries()) it(name, () => checkPrior(name, ex, 0x3e0 + i));
});
