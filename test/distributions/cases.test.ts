/**
 * The table of cases (cases.ts) covers the constructors: every key of
 * `constructors` in src/distributions/index.ts has a row, a row whose
 * derivatives are checked, and, when its family has a prior sampler, a row
 * whose draws are tested. A new family without rows fails here.
 */
import { describe, expect, it } from "vitest";
import type { Operand, Tensor } from "../../src/dsl/tensor.ts";
import { constructors } from "../../src/distributions/index.ts";
import { CASES, type Ctor } from "./cases.ts";
import { m } from "./helpers.ts";

const lift = (x: Operand): Tensor => (typeof x === "number" || Array.isArray(x) ? m.constant(x as number[]) : (x as Tensor));
const keys = Object.keys(constructors(lift)).sort() as Ctor[];
const distinct = (ctors: Ctor[]) => [...new Set(ctors)].sort();
/** The keys among `of` with no row satisfying `has`. */
const without = (of: Ctor[], has: (c: (typeof CASES)[number]) => boolean) => of.filter((k) => !CASES.some((c) => c.ctor === k && has(c)));

describe("the table of cases", () => {
  it("has a row for every constructor, and no other", () => {
    expect(keys.length).toBeGreaterThan(30);
    expect(
      without(keys, () => true),
      "constructors without a row in cases.ts",
    ).toEqual([]);
    expect(distinct(CASES.map((c) => c.ctor))).toEqual(keys);
  });

  it("checks derivatives of every family with a continuous parameter or value", () => {
    const continuous = keys.filter((k) =>
      CASES.some((c) => c.ctor === k && (!c.family.discrete || c.family.params.some((p) => c.family.domains[p] !== "count"))),
    );
    expect(continuous).toEqual(keys);
    expect(
      without(continuous, (c) => c.gradient === true),
      "families without a row whose derivatives are checked",
    ).toEqual([]);
  });

  it("tests the draws of every family that has a prior sampler", () => {
    const sampled = keys.filter((k) => CASES.some((c) => c.ctor === k && c.family.sample !== undefined));
    expect(keys.filter((k) => !sampled.includes(k))).toEqual(["flat", "halfFlat"]);
    expect(
      without(sampled, (c) => c.gof !== undefined),
      "families with a sampler but no row whose draws are tested",
    ).toEqual([]);
    expect(distinct(CASES.filter((c) => c.gof !== undefined).map((c) => c.ctor))).toEqual(sampled);
  });

  it("states why each row whose derivatives are not checked is left out", () => {
    for (const c of CASES) if (c.gradient !== true) expect(c.gradient.length, c.name).toBeGreaterThan(10);
  });

  it("builds each row's family with the row's constructor", () => {
    const names: Record<Ctor, string> = {
      normal: "normal",
      halfNormal: "half_normal",
      cauchy: "cauchy",
      halfCauchy: "half_cauchy",
      studentT: "student_t",
      halfStudentT: "half_student_t",
      exponential: "exponential",
      gamma: "gamma",
      inverseGamma: "inv_gamma",
      beta: "beta",
      uniform: "uniform",
      flat: "flat",
      halfFlat: "half_flat",
      logNormal: "lognormal",
      laplace: "double_exponential",
      logistic: "logistic",
      weibull: "weibull",
      bernoulli: "bernoulli",
      bernoulliLogit: "bernoulli_logit",
      binomial: "binomial",
      binomialLogit: "binomial_logit",
      poisson: "poisson",
      poissonLog: "poisson_log",
      negativeBinomial: "neg_binomial_2",
      categorical: "categorical",
      categoricalLogit: "categorical_logit",
      dirichlet: "dirichlet",
      mvNormal: "multi_normal",
      mvNormalCholesky: "multi_normal_cholesky",
      lkjCholesky: "lkj_corr_cholesky",
      gaussianRandomWalk: "gaussian_random_walk",
      mixture: "mixture",
    };
    for (const c of CASES) expect(c.family.name, c.name).toBe(names[c.ctor]);
  });
});
