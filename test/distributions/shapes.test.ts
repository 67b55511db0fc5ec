/**
 * Batch and event shapes of every row of the table (cases.ts): the
 * family's shapes() against the row's stated shapes, and the shapes of
 * draws and of their log density. Then the families' shape errors and the
 * constructors' mapping from `m.normal(…)` to families.
 */
import { describe, expect, it } from "vitest";
import type { Family } from "../../src/dsl/distribution.ts";
import type { Shape } from "../../src/tensor/shape.ts";
import type { Operand, Tensor } from "../../src/dsl/tensor.ts";
import { categorical } from "../../src/distributions/categorical.ts";
import { dirichlet } from "../../src/distributions/dirichlet.ts";
import { gaussianRandomWalkFamily } from "../../src/distributions/gaussianRandomWalk.ts";
import { constructors, dist } from "../../src/distributions/index.ts";
import { lkjCholeskyFamily } from "../../src/distributions/lkjCholesky.ts";
import { mixtureFamily } from "../../src/distributions/mixture.ts";
import { mvNormal } from "../../src/distributions/mvNormal.ts";
import { normal } from "../../src/distributions/normal.ts";
import { poisson } from "../../src/distributions/poisson.ts";
import { studentT } from "../../src/distributions/studentT.ts";
import { uniform } from "../../src/distributions/uniform.ts";
import { CASES, tensor } from "./cases.ts";
import { logProb, m, sample, shapeOf } from "./helpers.ts";

const fail = (message: string): never => {
  throw new Error(message);
};
const shapes = (f: Family, p: Record<string, Shape>) => f.shapes(p, fail);

describe("shapes of the table's rows", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const paramShapes = Object.fromEntries(Object.entries(c.params).map(([k, t]) => [k, shapeOf(t)]));
    expect(shapes(c.family, paramShapes)).toEqual({ batch: c.batch, event: c.event });
    // A value for each batch element is scored once per batch element.
    const one = m.broadcastTo(tensor(c.xs[0]), [...c.batch, ...c.event]);
    expect(logProb(c.family, one, c.params).shape).toEqual(c.batch);
    if (c.family.sample === undefined) return;
    // Draws of shape [2, ...batch, ...event] (row-major), in the support, scored with shape [2, ...batch].
    const batch = [2, ...c.batch];
    const draws = sample(c.family, c.params, batch);
    const size = (s: Shape) => s.reduce((a, b) => a * b, 1);
    expect(draws.length).toBe(size(batch) * size(c.event));
    const lp = logProb(c.family, m.reshape(m.constant(Array.from(draws)), [...batch, ...c.event]), c.params);
    expect(lp.shape).toEqual(batch);
    for (const v of lp.v) expect(v === -Infinity || Number.isNaN(v), `log density ${v} of a draw`).toBe(false);
  });
});

describe("shapes", () => {
  it("scalar families broadcast their parameters", () => {
    expect(shapes(normal, { loc: [3], scale: [] })).toEqual({ batch: [3], event: [] });
    expect(shapes(studentT, { nu: [], loc: [2, 1], scale: [4] })).toEqual({ batch: [2, 4], event: [] });
    expect(() => shapes(normal, { loc: [3], scale: [4] })).toThrow(/do not broadcast/);
  });

  it("event families split off the last axis", () => {
    expect(shapes(dirichlet, { alpha: [5, 3] })).toEqual({ batch: [5], event: [3] });
    expect(shapes(categorical, { p: [4] })).toEqual({ batch: [], event: [] });
    expect(shapes(mvNormal, { mu: [2, 3], cov: [3, 3] })).toEqual({ batch: [2], event: [3] });
    expect(shapes(lkjCholeskyFamily(4), { eta: [] })).toEqual({ batch: [], event: [4, 4] });
    expect(shapes(gaussianRandomWalkFamily(10), { scale: [2] })).toEqual({ batch: [2], event: [10] });
    expect(() => shapes(dirichlet, { alpha: [] })).toThrow(/at least one axis/);
    expect(() => shapes(mvNormal, { mu: [3], cov: [2, 2] })).toThrow(/3×3/);
    expect(() => shapes(gaussianRandomWalkFamily(0), { scale: [] })).toThrow(/positive integer/);
  });

  it("mixtures check their weights and components", () => {
    const two = mixtureFamily([
      dist(normal, { loc: m.constant(0), scale: m.constant(1) }),
      dist(normal, { loc: m.constant([1, 2]), scale: m.constant(1) }),
    ]);
    expect(shapes(two, { weights: [2], c0_loc: [], c0_scale: [], c1_loc: [2], c1_scale: [] })).toEqual({ batch: [2], event: [] });
    expect(() => shapes(two, { weights: [3], c0_loc: [], c0_scale: [], c1_loc: [], c1_scale: [] })).toThrow(/3 entries for 2 components/);
    const mixed = mixtureFamily([dist(normal, { loc: m.constant(0), scale: m.constant(1) }), dist(poisson, { rate: m.constant(1) })]);
    expect(() => shapes(mixed, { weights: [2], c0_loc: [], c0_scale: [], c1_rate: [] })).toThrow(/all discrete or all continuous/);
  });

  it("uniform's support is the interval of its parameter tensors", () => {
    const lower = m.constant(0);
    const upper = m.constant(2);
    expect(uniform.support({ lower, upper })).toEqual({ kind: "interval", lower, upper });
  });
});

describe("constructors", () => {
  const lift = (x: Operand): Tensor => (typeof x === "number" || Array.isArray(x) ? m.constant(x as number[]) : (x as Tensor));
  const d = constructors(lift);

  it("map every method to a family with lifted parameters", () => {
    const built = [
      d.normal(0, 1),
      d.halfNormal(1),
      d.cauchy(0, 1),
      d.halfCauchy(1),
      d.studentT(3, 0, 1),
      d.halfStudentT(3, 1),
      d.exponential(1),
      d.gamma(2, 1),
      d.inverseGamma(2, 1),
      d.beta(1, 1),
      d.uniform(0, 1),
      d.flat(),
      d.halfFlat(),
      d.logNormal(0, 1),
      d.laplace(0, 1),
      d.logistic(0, 1),
      d.weibull(1, 1),
      d.bernoulli(0.5),
      d.bernoulliLogit(0),
      d.binomial(3, 0.5),
      d.binomialLogit(3, 0),
      d.poisson(1),
      d.poissonLog(0),
      d.negativeBinomial(1, 1),
      d.categorical([0.5, 0.5]),
      d.categoricalLogit([0, 0]),
      d.dirichlet([1, 1]),
      d.mvNormal(
        [0, 0],
        [
          [1, 0],
          [0, 1],
        ],
      ),
      d.mvNormalCholesky(
        [0, 0],
        [
          [1, 0],
          [0, 1],
        ],
      ),
      d.lkjCholesky(2, 1),
      d.gaussianRandomWalk(1, 5),
      d.mixture([0.5, 0.5], [d.normal(0, 1), d.normal(1, 1)]),
    ];
    expect(built.map((b) => b.family.name)).toEqual([
      "normal",
      "half_normal",
      "cauchy",
      "half_cauchy",
      "student_t",
      "half_student_t",
      "exponential",
      "gamma",
      "inv_gamma",
      "beta",
      "uniform",
      "flat",
      "half_flat",
      "lognormal",
      "double_exponential",
      "logistic",
      "weibull",
      "bernoulli",
      "bernoulli_logit",
      "binomial",
      "binomial_logit",
      "poisson",
      "poisson_log",
      "neg_binomial_2",
      "categorical",
      "categorical_logit",
      "dirichlet",
      "multi_normal",
      "multi_normal_cholesky",
      "lkj_corr_cholesky",
      "gaussian_random_walk",
      "mixture",
    ]);
    for (const b of built) {
      expect(Object.keys(b.params).sort()).toEqual([...b.family.params].sort());
      for (const p of b.family.params) expect(b.family.domains[p]).toBeDefined();
    }
  });

  it("marks discrete and location-scale families", () => {
    expect(d.poisson(1).family.discrete).toBe(true);
    expect(d.categorical([1]).family.discrete).toBe(true);
    expect(d.normal(0, 1).family.discrete).toBe(false);
    for (const b of [d.normal(0, 1), d.studentT(3, 0, 1), d.cauchy(0, 1), d.laplace(0, 1), d.logistic(0, 1)]) {
      expect(b.family.locScale).toEqual({ loc: "loc", scale: "scale" });
    }
  });

  it("caches one LKJ and random-walk family per size", () => {
    expect(d.lkjCholesky(3, 1).family).toBe(d.lkjCholesky(3, 2).family);
    expect(d.gaussianRandomWalk(1, 4).family).not.toBe(d.gaussianRandomWalk(1, 5).family);
  });
});
