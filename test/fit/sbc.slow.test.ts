/**
 * Simulation-based calibration (Talts et al. 2018): for each replication,
 * draw parameters θ* from the prior and data from the prior predictive at
 * θ*, sample the posterior given those data, and record the rank of θ*
 * among L posterior draws thinned to be nearly independent. A calibrated
 * sampler makes every rank in 0…L equally likely. Each parameter's rank
 * histogram (B bins) is tested with a chi-square test, Bonferroni-corrected
 * over the parameters at family-wise level 1e-3. Every model runs under
 * both warm-ups (nutpie's and Stan's), with the same seeds; the collinear
 * regression's posterior is strongly correlated, where nutpie's warm-up
 * adds a low-rank correction to the diagonal metric.
 */
import chisqQuantile from "@stdlib/stats-base-dists-chisquare-quantile";
import { describe, expect, it } from "vitest";

import { posteriordb } from "../../examples/index.ts";
import { model, type Model } from "../../src/dsl/model.ts";
import { priorSample } from "../../src/interpreters/prior.ts";
import { sample } from "../../src/fit/sample.ts";
import type { AdaptKind } from "../../src/inference/adapt/chainWarmup.ts";
import { Rng } from "../../src/random/rng.ts";
import { elementNames } from "../../src/tensor/layout.ts";
import { ADAPTS } from "../helpers/adapt.ts";

/** Replications; posterior draws per rank (after thinning); thinning; histogram bins. */
const REPS = 200;
const L = 19;
const THIN = 10;
const BINS = 10;

/** Rank histograms of every parameter element over REPS replications. */
async function rankHistograms<D>(
  mdl: Model<D>,
  withData: (observed: Float64Array, rep: number) => D,
  observed: string,
  baseData: D,
  adapt: AdaptKind,
): Promise<Map<string, number[]>> {
  const hist = new Map<string, number[]>();
  for (let r = 0; r < REPS; r++) {
    const prior = priorSample(mdl, baseData, { draws: 1, seed: 5000 + r });
    const fit = await sample(mdl, withData(prior.sites[observed].values[0], r), {
      chains: 1,
      warmup: 500,
      draws: (L - 1) * THIN + 1,
      thin: THIN,
      seed: 9000 + r,
      adapt,
    });
    const names = elementNames(fit.valueLayout);
    for (const e of fit.valueLayout.filter((v) => v.kind === "parameter")) {
      const truth = prior.sites[e.name].values[0];
      for (let j = 0; j < e.size; j++) {
        const name = names[e.offset + j];
        const draws = fit.column(e.offset + j)[0];
        expect(draws.length).toBe(L);
        const rank = draws.reduce((n, x) => n + (x < truth[j] ? 1 : 0), 0);
        const h = hist.get(name) ?? new Array(BINS).fill(0);
        h[Math.floor((rank * BINS) / (L + 1))]++;
        hist.set(name, h);
      }
    }
  }
  return hist;
}

/** Parameters whose histogram fails the chi-square test at the Bonferroni level. */
function uncalibrated(hist: Map<string, number[]>): string[] {
  const limit = chisqQuantile(1 - 1e-3 / hist.size, BINS - 1);
  const expected = REPS / BINS;
  const bad: string[] = [];
  for (const [name, h] of hist) {
    const chi2 = h.reduce((s, n) => s + (n - expected) ** 2 / expected, 0);
    if (chi2 > limit) bad.push(`${name}: χ² ${chi2.toFixed(1)} > ${limit.toFixed(1)}, histogram ${h.join(" ")}`);
  }
  return bad;
}

/**
 * A regression on four predictors with scales 10, 10, 1 and 0.1, the first
 * two nearly collinear (x₂ = x₁ + noise of a tenth of its scale), σ known:
 * a Gaussian posterior whose first two coefficients are correlated below
 * −0.9 and whose sds span more than an order of magnitude.
 */
function collinearRegression(): Model<{ y: number[] }> {
  const rng = new Rng(77, 0);
  const X = Array.from({ length: 30 }, () => {
    const x1 = rng.normal();
    return [10 * x1, 10 * (x1 + 0.1 * rng.normal()), rng.normal(), 0.1 * rng.normal()];
  });
  return model((m, d: { y: number[] }) => {
    const beta = m.sample("beta", m.normal(0, 1), { shape: [4] });
    m.observe("y", m.normal(m.matmul(m.data("X", X), beta), 0.5), d.y);
    return { beta };
  });
}

for (const adapt of ADAPTS)
  describe(`simulation-based calibration (adapt ${adapt})`, () => {
    it("non-centered eight schools", async () => {
      const ex = posteriordb["eight_schools-eight_schools_noncentered"];
      const schools = ex.model as Model<{ J: number; y: number[]; sigma: number[] }>;
      const base = ex.data as { J: number; y: number[]; sigma: number[] };
      const hist = await rankHistograms(schools, (y) => ({ ...base, y: Array.from(y) }), "y", base, adapt);
      expect(uncalibrated(hist)).toEqual([]);
    });

    it("a linear regression", async () => {
      const x = Array.from({ length: 20 }, (_, i) => (i - 9.5) / 5);
      const regression = model((m, d: { y: number[] }) => {
        const alpha = m.sample("alpha", m.normal(0, 2));
        const beta = m.sample("beta", m.normal(0, 1));
        const sigma = m.sample("sigma", m.halfNormal(1));
        m.observe("y", m.normal(m.add(alpha, m.mul(beta, x)), sigma), d.y);
        return { alpha, beta, sigma };
      });
      const base = { y: new Array(20).fill(0) };
      const hist = await rankHistograms(regression, (y) => ({ y: Array.from(y) }), "y", base, adapt);
      expect(uncalibrated(hist)).toEqual([]);
    });

    it("a regression with collinear predictors (a correlated Gaussian posterior)", async () => {
      const hist = await rankHistograms(collinearRegression(), (y) => ({ y: Array.from(y) }), "y", { y: new Array(30).fill(0) }, adapt);
      expect(uncalibrated(hist)).toEqual([]);
    });
  });
