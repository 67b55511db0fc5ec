/**
 * Pathfinder on targets with known answers: an independent Gaussian (one
 * path), a correlated Gaussian (four paths and PSIS), its known failures
 * (variance under-estimation on the funnel, large k̂ on heavy tails), and a
 * posteriordb regression against its reference posterior.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { benchmarks, posteriordb } from "../../../examples/index.ts";
import { compile } from "../../../src/codegen/compile.ts";
import type { CompiledDensity } from "../../../src/codegen/density.ts";
import { psis } from "../../../src/inference/diagnostics/psis.ts";
import type { EngineDraws } from "../../../src/inference/engine.ts";
import { pathfinder } from "../../../src/inference/pathfinder/pathfinder.ts";
import { gaussian } from "../../helpers/gaussian.ts";
import { ar1Gaussian, studentT } from "./targets.ts";

/** Column means and sds of n × d row-major points. */
function moments(points: Float64Array, n: number, d: number): { mean: number[]; sd: number[] } {
  const mean = new Array<number>(d).fill(0);
  const sq = new Array<number>(d).fill(0);
  for (let j = 0; j < n; j++) for (let i = 0; i < d; i++) mean[i] += points[j * d + i] / n;
  for (let j = 0; j < n; j++) for (let i = 0; i < d; i++) sq[i] += (points[j * d + i] - mean[i]) ** 2 / (n - 1);
  return { mean, sd: sq.map(Math.sqrt) };
}

describe("single-path Pathfinder on an independent Gaussian", () => {
  const mu = [1, -2, 0.5, 3, 0];
  const sd = [0.5, 1, 2, 3, 5];
  const target = gaussian(mu, sd);

  it("chooses a normal whose mean and sds are the target's", async () => {
    // 1000 ELBO draws instead of Stan's 25: with 25 the choice between
    // iterates is noisy enough to pick one with sds 38 % off (seed 5 of 1–10).
    const r = await pathfinder(target, { seed: 1, paths: 1, elboDraws: 1000 });
    const p = r.paths[0];
    expect(p.ok).toBe(true);
    // Not exact: the inverse-Hessian estimate holds the curvature seen along
    // the last 5 steps of a Wolfe (not exact) line search, so on a quadratic
    // it is close to, not equal to, the true inverse Hessian. Measured over
    // seeds 1–10: mean error ≤ 6e-4 sd, sd error ≤ 6.1 %. Bounds: 0.01 sd
    // and 10 % (a wrong sign or factor in the mean or Σ gives errors O(1)).
    for (let i = 0; i < 5; i++) {
      expect(Math.abs(p.mean[i] - mu[i]) / sd[i]).toBeLessThan(0.01);
      expect(Math.abs(Math.sqrt(p.variance[i]) / sd[i] - 1)).toBeLessThan(0.1);
    }
    expect(Number.isNaN(r.khat)).toBe(true); // one path: no resampling
  });

  it("draws from that normal, with lp__ = log p at each draw", async () => {
    const r = await pathfinder(target, { seed: 2, paths: 1 });
    const p = r.paths[0];
    expect(r.draws.n).toBe(1000);
    const { mean, sd: s } = moments(r.draws.points, r.draws.n, 5);
    // Draws of N(mean, Σ): the sample mean has sd sqrt(Σᵢᵢ/n), the sample sd
    // ≈ sqrt(Σᵢᵢ/(2n)). |z| ≤ 4.5 over 10 tests: P(false failure) < 1e-4.
    for (let i = 0; i < 5; i++) {
      const v = p.variance[i];
      expect(Math.abs(mean[i] - p.mean[i]) / Math.sqrt(v / 1000)).toBeLessThan(4.5);
      expect(Math.abs(s[i] - Math.sqrt(v)) / Math.sqrt(v / 2000)).toBeLessThan(4.5);
    }
    const lp = r.draws.columns.lp__;
    for (let j = 0; j < r.draws.n; j += 97) expect(lp[j]).toBe(target.logp(r.draws.points.subarray(j * 5, j * 5 + 5)));
  });
});

describe("multi-path Pathfinder on a correlated Gaussian", () => {
  const mu = [1, 2, 3, 4];
  const sd = [1, 2, 0.5, 3];
  const target = ar1Gaussian(mu, sd, 0.8);

  it("has a small k̂ and resampled means within their Monte-Carlo error", async () => {
    const r = await pathfinder(target, { seed: 2 });
    expect(r.paths.every((p) => p.ok)).toBe(true);
    expect(r.draws.n).toBe(1000);
    // k̂ over seeds 1–10 was −0.08 … 0.60: below 0.7 ("ok") always, below 0.5
    // ("good") for 7 of 10. It is a fragile statistic here: paths that are
    // nearly exact give nearly constant log ratios. We assert what holds for
    // every seed tried, 0.7 (loo's threshold for usable importance weights).
    expect(r.khat).toBeLessThan(0.7);
    // Resampled means: the variance of each mean is sd²(1/draws + 1/ESS),
    // the resampling's plus the weighted pool's, ESS = 1/Σw² of the PSIS
    // weights recomputed from the paths' draws. |z| ≤ 4 over 4 tests.
    const pooled = r.paths.flatMap((p) => Array.from(p.draws.columns.lp__, (lp, j) => lp - p.draws.columns.lp_approx__[j]));
    const w = psis(pooled).logWeights;
    const ess = 1 / w.reduce((a, v) => a + Math.exp(2 * v), 0);
    const { mean } = moments(r.draws.points, r.draws.n, 4);
    for (let i = 0; i < 4; i++) expect(Math.abs(mean[i] - mu[i]) / (sd[i] * Math.sqrt(1 / 1000 + 1 / ess))).toBeLessThan(4);
  });
});

describe("Pathfinder's known failures, shown", () => {
  it("under-estimates the funnel's variance (sd of y below 2 where the truth is 3)", async () => {
    const density = compile(benchmarks.funnel.model, benchmarks.funnel.data);
    const r = await pathfinder(density, { seed: 1 });
    const { sd } = moments(r.draws.points, r.draws.n, density.dim);
    // y is θ[0]; y ~ N(0, 3). Over seeds 1–8 the sd of y was 0.58 … 1.80 and
    // k̂ 0.56 … 1.02: a normal fitted along the path sits in the funnel's
    // neck. The bound 2 (2/3 of the truth) is far above the MC error of the
    // sd of 1000 draws (≈ 1.4/√2000 ≈ 0.03).
    expect(sd[0]).toBeLessThan(2);
    expect(r.khat).toBeGreaterThan(0.7);
  });

  it("gives k̂ above 0.5 on heavy tails (Student-t, ν = 3)", async () => {
    // A normal q has lighter tails than t₃, so p/q is unbounded and the
    // importance weights have heavy tails; k̂ over seeds 1–8 was 0.59 … 0.92.
    const r = await pathfinder(studentT(5, 3), { seed: 1 });
    expect(r.khat).toBeGreaterThan(0.5);
  });
});

describe("Pathfinder on a posteriordb regression", () => {
  it("kidiq-kidscore_momiq: means within 0.2 reference sd, sds within 15 %", async () => {
    const ex = posteriordb["kidiq-kidscore_momiq"];
    const density = compile(ex.model, ex.data);
    const ref = JSON.parse(
      readFileSync(new URL("../../fixtures/posteriordb-reference/kidiq-kidscore_momiq.json", import.meta.url), "utf8"),
    ).parameters;
    const r = await pathfinder(density, { seed: 1 });
    const values = constrained(density, r.draws);
    const { mean, sd } = moments(values, r.draws.n, density.valueSize);
    // The posterior is close to normal (k̂ 0.26 … 0.40 over seeds 1–4, means
    // within 0.06 sd, sds within 4 %). Monte-Carlo error of 1000 resampled
    // draws: ≈ √(2/1000) ≈ 0.045 sd for a mean, ≈ 3 % for an sd; the bounds
    // are 4 of those, and still catch a bias of a fifth of an sd.
    ["beta[1]", "beta[2]", "sigma"].forEach((name, i) => {
      expect(Math.abs(mean[i] - ref[name].mean) / ref[name].sd, name).toBeLessThan(0.2);
      expect(Math.abs(sd[i] / ref[name].sd - 1), name).toBeLessThan(0.15);
    });
    expect(r.khat).toBeLessThan(0.7);
  });
});

/** The constrained values of every draw, row-major (n × valueSize). */
function constrained(density: CompiledDensity, draws: EngineDraws): Float64Array {
  const out = new Float64Array(draws.n * density.valueSize);
  for (let j = 0; j < draws.n; j++) {
    out.set(density.constrain(draws.points.subarray(j * draws.dim, (j + 1) * draws.dim)), j * density.valueSize);
  }
  return out;
}
