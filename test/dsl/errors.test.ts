/**
 * Bad models and bad data fail when the model is built, with a typed error
 * that names the site — in every interpreter, since validation happens once
 * in runModel.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../src/codegen/compile.ts";
import { model } from "../../src/dsl/model.ts";
import { DataError, ModelError, ShapeError, SiteNameError, SupportError } from "../../src/errors.ts";
import { condition } from "../../src/handlers/replace.ts";
import { logDensity } from "../../src/interpreters/logDensity.ts";
import { priorSample } from "../../src/interpreters/prior.ts";
import schools, { type EightSchoolsData as Data, data as good } from "../../examples/eight_schools.ts";

/** Runs `build` in each interpreter and checks the error's class, site and message. */
function expectBuildError(
  build: (run: (mdl: typeof schools, d: Data) => unknown) => unknown,
  cls: typeof ModelError,
  site: string,
  pattern: RegExp,
): void {
  const runs: ((mdl: typeof schools, d: Data) => unknown)[] = [
    (mdl, d) => compile(mdl, d),
    (mdl, d) => logDensity(mdl, d),
    (mdl, d) => priorSample(mdl, d, { draws: 1 }),
  ];
  for (const run of runs) {
    let caught: unknown;
    try {
      build(run);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(cls);
    expect((caught as ModelError).site).toBe(site);
    expect((caught as Error).message).toMatch(pattern);
  }
}

describe("build-time errors name the site", () => {
  it("a shape mismatch between parameters and observed data", () => {
    const bad = model((m, d: Data) => {
      const theta = m.sample("theta", m.normal(0, 1), { shape: [7] });
      m.observe("y", m.normal(theta, 1), d.y);
      return {};
    });
    expectBuildError((run) => run(bad as typeof schools, good), ShapeError, "y", /\[7\].*\[8\]|\[8\].*\[7\]/);
  });

  it("a negative scale constant", () => {
    const bad = model(() => ({})) as unknown as typeof schools;
    const neg = model((m) => {
      m.sample("x", m.normal(0, -1));
      return {};
    });
    void bad;
    expectBuildError((run) => run(neg as unknown as typeof schools, good), SupportError, "x", /scale.*-1.*positive/);
  });

  it("a scale computed from data alone that is not positive (s − 12 of the known standard errors)", () => {
    const shifted = model((m, d: Data) => {
      const mu = m.sample("mu", m.normal(0, 5));
      m.observe("y", m.normal(mu, m.sub(m.data("sigma", d.sigma), 12)), d.y);
      return {};
    });
    expectBuildError((run) => run(shifted as unknown as typeof schools, good), SupportError, "y", /scale\[1\] = -2 must be positive/);
  });

  it("NaN in data", () => {
    expectBuildError((run) => run(schools, { ...good, sigma: [15, 10, NaN, 11, 9, 11, 10, 18] }), DataError, "sigma", /data\[2\] is NaN/);
  });

  it("a wrong data length", () => {
    expectBuildError((run) => run(schools, { ...good, sigma: good.sigma.slice(0, 7) }), ShapeError, "y", /do not broadcast/);
  });

  it("data outside the family's support", () => {
    const counts = model((m, d: { k: number[] }) => {
      const rate = m.sample("rate", m.exponential(1));
      m.observe("k", m.poisson(rate), d.k);
      return {};
    });
    for (const k of [
      [1, 2, -1],
      [1, 2.5],
    ]) {
      expectBuildError(
        (run) => run(counts as unknown as typeof schools, { k } as unknown as Data),
        SupportError,
        "k",
        /non-negative integer/,
      );
    }
    const coin = model((m, d: { y: number[] }) => {
      m.observe("y", m.bernoulli(m.sample("p", m.beta(1, 1))), d.y);
      return {};
    });
    expectBuildError((run) => run(coin as unknown as typeof schools, { y: [0, 1, 2] } as unknown as Data), SupportError, "y", /0 or 1/);
    const weights = model((m, d: { w: number[] }) => {
      m.observe("w", m.dirichlet([1, 1, 1]), d.w);
      return {};
    });
    expectBuildError(
      (run) => run(weights as unknown as typeof schools, { w: [0.5, 0.2, 0.2] } as unknown as Data),
      SupportError,
      "w",
      /sums to/,
    );
  });

  it("two sites with one name", () => {
    const dup = model((m) => {
      m.sample("a", m.normal(0, 1));
      m.sample("a", m.normal(0, 1));
      return {};
    });
    expectBuildError((run) => run(dup as unknown as typeof schools, good), SiteNameError, "a", /two sites/);
  });

  it("an unknown site name in a handler", () => {
    const conditioned = condition(schools, { nope: 1 });
    expect(() => compile(conditioned, good)).toThrow(SiteNameError);
    try {
      compile(conditioned, good);
    } catch (e) {
      expect((e as SiteNameError).site).toBe("nope");
    }
  });

  it("a discrete latent variable for gradient-based inference", () => {
    const discrete = model((m) => {
      m.sample("k", m.poisson(3));
      return {};
    });
    expect(() => compile(discrete, undefined)).toThrow(/discrete latent/);
    // The prior can still draw it.
    expect(priorSample(discrete, undefined, { draws: 3 }).sites.k.values).toHaveLength(3);
  });

  it("a data shape change without a rebuild", () => {
    const d = compile(schools, good);
    expect(() => d.setData({ sigma: [1, 2, 3] })).toThrow(DataError);
    expect(() => d.setData({ sigma: good.sigma.map((s) => s + 1) })).not.toThrow();
  });
});
