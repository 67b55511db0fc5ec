/**
 * The slow tier of lockstep chains: 256 chains on the JS backend against
 * Stan's reference posteriors (test/fixtures/reference/), as
 * benchmarks.test.ts does for NUTS: means and sds z-tested with both
 * sides' MCSEs, Bonferroni over each model's parameters at family-wise
 * level 1e-3; the funnel's heavy-tailed parameters by their 5 % and 95 %
 * quantiles. eight_schools runs at the defaults (1000 + 1000), the issue's
 * setting; the others at 500 + 250.
 */
import { describe, expect, it } from "vitest";
import { benchmarks } from "../../examples/index.ts";
import { sampleLockstep } from "../../src/fit/lockstep.ts";
import { benchmarkReference, compareToReference, heavyTailedOf } from "../helpers/reference.ts";

describe("lockstep chains agree with Stan's reference posteriors", () => {
  const runs = {
    eight_schools: { seed: 301 },
    simple: { seed: 302, warmup: 500, draws: 250 },
    medium: { seed: 303, warmup: 500, draws: 250 },
    stress: { seed: 304, warmup: 500, draws: 250 },
    logistic: { seed: 305, warmup: 500, draws: 250 },
    funnel: { seed: 307, warmup: 500, draws: 250 },
  } as const;
  for (const [name, opts] of Object.entries(runs)) {
    it(`${name}, 256 chains`, async () => {
      const { model, data } = benchmarks[name as keyof typeof runs];
      const fit = await sampleLockstep(model, data, { chains: 256, ...opts });
      expect(compareToReference(fit.summary(), benchmarkReference(name), { heavyTailed: heavyTailedOf(name, fit) })).toEqual([]);
      if (name === "eight_schools" || name === "funnel") expect(fit.diagnostics().divergences.reduce((a, b) => a + b, 0)).toBe(0);
    });
  }
});
