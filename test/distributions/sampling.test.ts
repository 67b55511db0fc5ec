/**
 * Prior samplers at a fixed seed, for every row of the table (cases.ts)
 * that names a goodness-of-fit test: continuous families pass a
 * Kolmogorov–Smirnov test against their CDF, discrete ones a chi-square
 * test against their pmf (the row's reference log mass), multivariate ones
 * z-tests of mean and covariance with Monte Carlo standard errors. Each
 * test states n and its critical value (helpers.ts: N, Z, ksCritical,
 * chiSquareCritical).
 */
import { describe, expect, it } from "vitest";
import { binomial } from "../../src/distributions/binomial.ts";
import { categorical } from "../../src/distributions/categorical.ts";
import { gamma } from "../../src/distributions/gamma.ts";
import { gaussianRandomWalkFamily } from "../../src/distributions/gaussianRandomWalk.ts";
import { normal } from "../../src/distributions/normal.ts";
import { poisson } from "../../src/distributions/poisson.ts";
import { CASES } from "./cases.ts";
import { chiSquare, chiSquareCritical, expectMoments, ksCritical, ksStatistic, N, sample } from "./helpers.ts";

const rows = (kind: string) => CASES.filter((c) => c.gof?.kind === kind).map((c) => [c.name, c] as const);

describe("continuous samplers: KS test, n = 20000, critical value 1.95/√n", () => {
  it.each(rows("ks"))("%s", (_name, c) => {
    if (c.gof?.kind !== "ks") throw new Error("not a KS row");
    const draws = sample(c.family, c.params, c.gof.shape ?? [N]);
    expect(ksStatistic(draws, c.gof.cdf)).toBeLessThan(ksCritical(N));
  });
});

describe("discrete samplers: chi-square test, n = 20000, critical value χ²(df, 0.999)", () => {
  it.each(rows("chi2"))("%s", (_name, c) => {
    if (c.gof?.kind !== "chi2") throw new Error("not a chi-square row");
    const draws = sample(c.family, c.params, c.gof.shape ?? [N]);
    for (const x of draws) expect(Number.isInteger(x)).toBe(true);
    const { stat, df } = chiSquare(draws, c.gof.pmf, 0, c.gof.hi);
    expect(stat).toBeLessThan(chiSquareCritical(Math.max(df, 1)));
  });

  it("a categorical never draws a zero-probability category", () => {
    const draws = sample(categorical, { p: [0.1, 0.6, 0, 0.3] }, [N]);
    expect(draws.includes(2)).toBe(false);
  });

  it("degenerate parameters draw their certain value", () => {
    expect(Array.from(sample(poisson, { rate: 0 }, [3]))).toEqual([0, 0, 0]);
    expect(Array.from(sample(binomial, { n: [0, 4, 4], p: [0.5, 0, 1] }, [3]))).toEqual([0, 0, 4]);
  });
});

describe("multivariate samplers: z-tests of mean and covariance, n = 20000, |z| < 4", () => {
  it.each(rows("moments"))("%s", (_name, c) => {
    if (c.gof?.kind !== "moments") throw new Error("not a moments row");
    expectMoments(sample(c.family, c.params, c.gof.shape ?? [N]), c.gof.mean.length, c.gof.mean, c.gof.cov);
  });
});

describe("samplers with checks of their own, n = 20000", () => {
  it.each(rows("custom"))("%s", (_name, c) => {
    if (c.gof?.kind !== "custom") throw new Error("not a custom row");
    c.gof.check(sample(c.family, c.params, c.gof.shape ?? [N]));
  });
});

describe("sampler plumbing", () => {
  it("is reproducible from the seed and differs across seeds", () => {
    const a = sample(gamma, { shape: 2, rate: 1 }, [50], 7);
    const b = sample(gamma, { shape: 2, rate: 1 }, [50], 7);
    const c = sample(gamma, { shape: 2, rate: 1 }, [50], 8);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it("broadcasts parameters to a plate", () => {
    const draws = sample(normal, { loc: [0, 100], scale: 1e-9 }, [3, 2]);
    expect(draws.length).toBe(6);
    draws.forEach((x, i) => expect(x).toBeCloseTo(i % 2 === 0 ? 0 : 100, 6));
    const walks = sample(gaussianRandomWalkFamily(3), { scale: [1, 2] }, [2]);
    expect(walks.length).toBe(6);
  });
});
