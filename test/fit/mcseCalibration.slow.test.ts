/**
 * The MCSE a fit reports is the spread its mean really has: over many seeds
 * of one short chain (1,000 + 1,000, as the benchmark runs), the z-scores
 * (mean − truth) / MCSE have a root mean square near 1, under both warm-ups.
 * An understated MCSE (an ESS too high, as antithetic chains under a new
 * metric could give) makes z spread wider; an overstated one, narrower.
 *
 * Targets: `simple` against Stan's long reference run (its MCSE enters z),
 * and a Gaussian correlated 0.95 (exact; the automatic metric takes its
 * low-rank correction there).
 *
 * Tolerance: over n = 200 seeds the rms of z has a standard error of about
 * 1/√(2n) = 0.05 when z is normal; the MCSE's own noise makes z a little
 * heavier-tailed (ESS estimates of one chain vary ±30 %). The bounds
 * [0.8, 1.25] are 4 standard errors either side. Fixed seeds 1…200.
 */
import { describe, expect, it } from "vitest";
import simple, { data } from "../../examples/simple.ts";
import { model } from "../../src/dsl/model.ts";
import { sample } from "../../src/fit/sample.ts";
import type { Model } from "../../src/dsl/model.ts";
import reference from "../fixtures/reference/simple.json" with { type: "json" };
import { ADAPTS } from "../helpers/adapt.ts";

const SEEDS = 200;

/** What a parameter's z-scores are measured against: its true mean and that mean's own MCSE (0 when exact). */
interface Truth {
  readonly mean: number;
  readonly mcse: number;
}

/** The rms over seeds of (mean − truth) / MCSE, per parameter. */
async function rmsZ<D>(target: Model<D>, dataOf: D, truths: readonly Truth[], adapt: (typeof ADAPTS)[number]): Promise<number[]> {
  const sums = new Array<number>(truths.length).fill(0);
  for (let seed = 1; seed <= SEEDS; seed++) {
    const fit = await sample(target, dataOf, { chains: 1, warmup: 1000, draws: 1000, seed, workers: 0, adapt });
    fit.summary().forEach((row, i) => {
      if (i < truths.length) sums[i] += ((row.mean - truths[i].mean) / Math.hypot(row.mcse_mean, truths[i].mcse)) ** 2;
    });
  }
  return sums.map((s) => Math.sqrt(s / SEEDS));
}

function expectCalibrated(rms: readonly number[]): void {
  for (const v of rms) {
    expect(v, `rms z per parameter: ${rms.map((r) => r.toFixed(3)).join(", ")}`).toBeGreaterThan(0.8);
    expect(v, `rms z per parameter: ${rms.map((r) => r.toFixed(3)).join(", ")}`).toBeLessThan(1.25);
  }
}

const SDS = [0.1, 1, 10];
const correlated = model((m) => ({
  x: m.sample(
    "x",
    m.mvNormal(
      SDS.map(() => 1),
      SDS.map((si, i) => SDS.map((sj, j) => (i === j ? 1 : 0.95) * si * sj)),
    ),
  ),
}));

for (const adapt of ADAPTS)
  describe(`the reported MCSE of the mean is the mean's spread over seeds (adapt ${adapt})`, () => {
    it("simple, against Stan's reference", async () => {
      const ref = reference.parameters;
      const z = await rmsZ(
        simple,
        data,
        [ref.mu, ref.sigma].map((p) => ({ mean: p.mean, mcse: p.mcse_mean })),
        adapt,
      );
      expectCalibrated(z);
    });

    it("a Gaussian correlated 0.95, exact", async () => {
      const z = await rmsZ(
        correlated,
        undefined,
        SDS.map(() => ({ mean: 1, mcse: 0 })),
        adapt,
      );
      expectCalibrated(z);
    });
  });
