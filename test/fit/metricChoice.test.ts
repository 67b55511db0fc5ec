/**
 * The automatic metric (`metric: "auto"`, the default, under nutpie's
 * warm-up) on exact Gaussian targets with scales 1e-2 … 1e2:
 *
 * - correlated (0.95 between the first four coordinates): every chain ends
 *   with a low-rank correction (its adapted inverse metric is a matrix,
 *   with correlations near 0.95), and the means, sds and correlations agree
 *   with the target;
 * - independent: every chain keeps the diagonal.
 *
 * Means and sds are z-tested with our own MCSEs (test/helpers/reference.ts);
 * each correlation ρᵢⱼ as the mean of zᵢzⱼ (z = x/s, s the known sd), with
 * the MCSE of that mean from its own draws. Bonferroni over every test of a
 * run at family-wise level 1e-3. Fixed seeds.
 */
import { describe, expect, it } from "vitest";
import { model } from "../../src/dsl/model.ts";
import { sample } from "../../src/fit/sample.ts";
import { mcseMean } from "../../src/inference/diagnostics/mcse.ts";
import { bonferroniZ, compareToReference, type RefParam } from "../helpers/reference.ts";

const SDS = [0.01, 1, 10, 100, 0.1, 3];
const D = SDS.length;
/** Coordinates 0–3 correlated ρ with each other, 4–5 independent of everything. */
const correlation = (rho: number) => (i: number, j: number) => (i === j ? 1 : i < 4 && j < 4 ? rho : 0);

const gaussian = (rho: number) => {
  const r = correlation(rho);
  const cov = SDS.map((si, i) => SDS.map((sj, j) => r(i, j) * si * sj));
  return model((m) => ({ x: m.sample("x", m.mvNormal(new Array<number>(D).fill(0), cov)) }));
};

const names = Array.from({ length: D }, (_, i) => `x[${i + 1}]`);
const exact: Record<string, RefParam> = Object.fromEntries(names.map((n, i) => [n, { mean: 0, sd: SDS[i], mcse_mean: 0, mcse_sd: 0 }]));

describe('metric "auto" under nutpie\'s warm-up', () => {
  it("a Gaussian correlated 0.95: a low-rank metric, and the means, sds and correlations of the target", async () => {
    const fit = await sample(gaussian(0.95), undefined, { chains: 4, seed: 31 });
    for (const c of fit.chains) {
      const inv = c.adaptation!.invMetric;
      expect(Array.isArray(inv[0])).toBe(true);
      const m = inv as number[][];
      expect(m[0][3] / Math.sqrt(m[0][0] * m[3][3])).toBeGreaterThan(0.9);
    }
    // 2 × 6 means and sds in compareToReference (its own Bonferroni over 12), 15 correlations here: each family at 1e-3.
    expect(compareToReference(fit.summary(), exact)).toEqual([]);
    const r = correlation(0.95);
    const zc = bonferroniZ((D * (D - 1)) / 2, 1e-3);
    const failures: string[] = [];
    for (let i = 0; i < D; i++) {
      for (let j = 0; j < i; j++) {
        const [xi, xj] = [fit.column(i), fit.column(j)];
        const products = xi.map((col, c) => col.map((v, t) => (v / SDS[i]) * (xj[c][t] / SDS[j])));
        const mean = products.reduce((s, col) => s + col.reduce((a, b) => a + b, 0), 0) / products.reduce((n, col) => n + col.length, 0);
        const z = (mean - r(i, j)) / mcseMean(products);
        if (!(Math.abs(z) <= zc))
          failures.push(`ρ(${i + 1}, ${j + 1}) ${mean.toFixed(4)} vs ${r(i, j)} (z = ${z.toFixed(2)}, limit ${zc.toFixed(2)})`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("an independent Gaussian: every chain keeps the diagonal", async () => {
    const fit = await sample(gaussian(0), undefined, { chains: 4, seed: 32 });
    for (const c of fit.chains) expect(Array.isArray(c.adaptation!.invMetric[0])).toBe(false);
    expect(compareToReference(fit.summary(), exact)).toEqual([]);
  });
});
