/**
 * The benchmark models, 4 chains of 1000 + 1000, against Stan's long
 * reference runs (test/fixtures/reference/, copied from
 * ../shared/benchmarks/reference: 4 × 5000 draws, adapt_delta 0.95). Means
 * and sds are z-tested with both sides' MCSEs, Bonferroni over all the
 * model's parameters at family-wise level 1e-3 (test/helpers/reference.ts).
 *
 * Under both warm-ups (nutpie's and Stan's), same seeds.
 *
 * eight_schools and funnel are funnels: with automatic reparameterization
 * (the default) they must agree with the reference and diverge at most
 * rarely; sampled as written they must report their divergences.
 */
import { describe, expect, it } from "vitest";
import { benchmarks } from "../../examples/index.ts";
import { sample } from "../../src/fit/sample.ts";
import { ADAPTS } from "../helpers/adapt.ts";
import { benchmarkReference, compareToReference, heavyTailedOf } from "../helpers/reference.ts";

for (const adapt of ADAPTS)
  describe(`benchmark models agree with Stan's reference posteriors (adapt ${adapt})`, () => {
    const seeds = { simple: 101, medium: 102, stress: 103, logistic: 104, sv: 105, eight_schools: 106, funnel: 107 } as const;
    for (const [name, seed] of Object.entries(seeds)) {
      it(name, async () => {
        const { model, data } = benchmarks[name as keyof typeof seeds];
        const fit = await sample(model, data, { chains: 4, seed, adapt });
        expect(compareToReference(fit.summary(), benchmarkReference(name), { heavyTailed: heavyTailedOf(name, fit) })).toEqual([]);
        // Reparameterized, a funnel diverges rarely, as Stan's non-centered eight schools does at adapt_delta 0.8:
        // over seeds 1–20 (4 × 1000 draws) eight schools had 0–3 divergences (5 seeds with any), the funnel none;
        // sampled as written, eight schools has ~170 (below). At most 4 in 4000 draws (0.1 %).
        if (name === "eight_schools" || name === "funnel")
          expect(fit.diagnostics().divergences.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(4);
      });
    }

    for (const [name, seed] of [
      ["eight_schools", 206],
      ["funnel", 207],
    ] as const) {
      it(`${name} sampled as written reports its divergences`, async () => {
        const { model, data } = benchmarks[name];
        const fit = await sample(model, data, { chains: 4, seed, reparam: false, adapt });
        const diag = fit.diagnostics();
        expect(diag.divergences.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
        expect(diag.warnings.some((w) => /diverged/.test(w))).toBe(true);
      });
    }
  });
