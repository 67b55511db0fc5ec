/**
 * Every example builds and has the Stan model's parameters: through the
 * reference interpreter (`logDensity`), its unconstrained dimension equals
 * the Stan model's, its layout names and shapes are the Stan parameters
 * block's, the quantities posteriordb reports (reference_summary.json keys,
 * some of them transformed parameters) come out of `constrain` with their
 * shapes, and log p at seeded random points of (−2, 2)^d is finite (its
 * gradient too, at one of them). For the posteriors of
 * ../shared/posteriordb/_no_reference (no reference_summary.json; the
 * registry's `posteriordbNoReference`), the reported quantities are
 * posterior.json's `dimensions`.
 *
 * The expected numbers are copied from ../shared/benchmarks/stan/*.stan and
 * ../shared/posteriordb/<name>/{posterior.json, reference_summary.json} (the
 * project does not read ../shared at run time). posterior.json's
 * `dimensions` count constrained values: a simplex[K] has K − 1 unconstrained
 * coordinates, which is why hmm_example is 4 here (6 in posteriordb).
 */
import { describe, expect, it } from "vitest";
import { benchmarks, type Example, posteriordb, posteriordbNoReference } from "../../examples/index.ts";
import type { Shape } from "../../src/tensor/shape.ts";
import { logDensity } from "../../src/interpreters/logDensity.ts";
import { randomPoints } from "../helpers/agree.ts";

/** What an example must have. */
interface Expected {
  /** Unconstrained dimension. */
  readonly dim: number;
  /** The Stan parameters block: name → constrained shape, in any order. */
  readonly params: Readonly<Record<string, Shape>>;
  /** Reported quantities (reference_summary.json) when they differ from `params`. */
  readonly reported?: Readonly<Record<string, Shape>>;
}

const regression = (k: number): Expected => ({ dim: k + 1, params: { beta: [k], sigma: [] } });
const hmm: Expected = { dim: 6, params: { theta1: [2], theta2: [2], phi: [2], lambda: [2] } };
const radonHyper = { beta: [2], mu_alpha: [], sigma_alpha: [], sigma_y: [] } as const;
const radon = { ...radonHyper, alpha: [85] } as const;

/** The seven benchmark models (../shared/benchmarks/stan). */
const benchmarkTable: Readonly<Record<keyof typeof benchmarks, Expected>> = {
  simple: { dim: 2, params: { mu: [], sigma: [] } },
  medium: { dim: 5, params: { mu_global: [], sigma_global: [], alpha: [], beta: [], sigma_obs: [] } },
  stress: {
    dim: 8,
    params: { mu_pop: [], sigma_pop: [], group_1: [], group_2: [], group_3: [], noise_1: [], noise_2: [], noise_3: [] },
  },
  eight_schools: { dim: 10, params: { mu: [], tau: [], theta: [8] } },
  funnel: { dim: 10, params: { y: [], x: [9] } },
  logistic: { dim: 21, params: { alpha: [], beta: [20] } },
  sv: { dim: 102, params: { sigma: [], nu: [], s: [100] } },
};

/** The posteriordb posteriors (model code: stan-dev/posteriordb, posterior_database/models/stan). */
const posteriordbTable: Readonly<Record<string, Expected>> = {
  "Rate_1_data-Rate_1_model": { dim: 1, params: { theta: [] } },
  "Rate_3_data-Rate_3_model": { dim: 1, params: { theta: [] } },
  "nes_logit_data-nes_logit_model": { dim: 2, params: { alpha: [], beta: [1] } },
  "wells_data-wells_dist": { dim: 2, params: { beta: [2] } },
  "earnings-earn_height": regression(2),
  "earnings-logearn_logheight_male": regression(3),
  "earnings-logearn_interaction_z": regression(4),
  "kidiq-kidscore_momiq": regression(2),
  "kidiq-kidscore_interaction": regression(4),
  "kidiq_with_mom_work-kidscore_mom_work": regression(4),
  "kilpisjarvi_mod-kilpisjarvi": { dim: 3, params: { alpha: [], beta: [], sigma: [] } },
  "mesquite-mesquite": regression(7),
  "mesquite-logmesquite": regression(7),
  "nes2000-nes": regression(9),
  "sblrc-blr": regression(5),
  "sblri-blr": regression(5),
  "gp_pois_regr-gp_regr": { dim: 3, params: { rho: [], alpha: [], sigma: [] } },
  "gp_pois_regr-gp_pois_regr": {
    dim: 13,
    params: { rho: [], alpha: [], f_tilde: [11] },
    reported: { rho: [], alpha: [], f: [11] },
  },
  "arma-arma11": { dim: 4, params: { mu: [], phi: [], theta: [], sigma: [] } },
  "garch-garch11": { dim: 4, params: { mu: [], alpha0: [], alpha1: [], beta1: [] } },
  "arK-arK": { dim: 7, params: { alpha: [], beta: [5], sigma: [] } },
  "low_dim_gauss_mix-low_dim_gauss_mix": { dim: 5, params: { mu: [2], sigma: [2], theta: [] } },
  "hmm_example-hmm_example": { dim: 4, params: { theta1: [2], theta2: [2], mu: [2] } },
  "bball_drive_event_0-hmm_drive_0": hmm,
  "bball_drive_event_1-hmm_drive_1": hmm,
  "eight_schools-eight_schools_centered": { dim: 10, params: { theta: [8], mu: [], tau: [] } },
  "eight_schools-eight_schools_noncentered": {
    dim: 10,
    params: { theta_trans: [8], mu: [], tau: [] },
    reported: { theta: [8], mu: [], tau: [] },
  },
  "diamonds-diamonds": { dim: 26, params: { b: [24], Intercept: [], sigma: [] } },
  // No reference posterior (../shared/posteriordb/_no_reference): reported = posterior.json's `dimensions`.
  // posterior.json says beta_1, beta_2, beta_3; the Stan code (and so the example) says beta1, beta2, beta3.
  "GLMM_Poisson_data-GLMM_Poisson_model": {
    dim: 45,
    params: { alpha: [], beta1: [], beta2: [], beta3: [], eps: [40], sigma: [] },
    reported: { alpha: [], beta1: [], beta2: [], beta3: [], eps: [40], sigma: [], log_lambda: [40], lambda: [40] },
  },
  "radon_mn-radon_hierarchical_intercept_centered": { dim: 90, params: radon },
  "radon_mn-radon_hierarchical_intercept_noncentered": {
    dim: 90,
    params: { ...radonHyper, alpha_raw: [85] },
    reported: radon,
  },
  "seeds_data-seeds_stanified_model": { dim: 26, params: { alpha0: [], alpha1: [], alpha12: [], alpha2: [], b: [21], sigma: [] } },
  "surgical_data-surgical_model": {
    dim: 14,
    params: { mu: [], sigmasq: [], b: [12] },
    reported: { mu: [], sigmasq: [], b: [12], sigma: [], p: [12], pop_mean: [] },
  },
};

/** The posteriors of ../shared/posteriordb/_no_reference (no reference_summary.json). */
const noReference = [
  "GLMM_Poisson_data-GLMM_Poisson_model",
  "radon_mn-radon_hierarchical_intercept_centered",
  "radon_mn-radon_hierarchical_intercept_noncentered",
  "seeds_data-seeds_stanified_model",
  "surgical_data-surgical_model",
];

const sorted = (r: Readonly<Record<string, Shape>>) => Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function checkExample(name: string, ex: Example, want: Expected, seed: number): void {
  const ref = logDensity(ex.model, ex.data);
  expect(ref.dim, `${name}: dimension`).toBe(want.dim);
  const layout = Object.fromEntries(ref.layout.map((e) => [e.name, [...e.shape]]));
  expect(sorted(layout), `${name}: layout names and shapes`).toEqual(sorted(want.params));
  const points = randomPoints(ref.dim, 3, seed);
  for (const theta of points) {
    const lp = ref.logp(theta);
    expect(Number.isFinite(lp), `${name}: log p = ${lp} at θ = [${Array.from(theta, (x) => x.toFixed(3)).join(", ")}]`).toBe(true);
  }
  const { grad } = ref.logpGrad(points[0]);
  expect(Array.from(grad).every(Number.isFinite), `${name}: ∇ log p finite`).toBe(true);
  const values = ref.constrain(points[0]);
  for (const [key, shape] of Object.entries(want.reported ?? want.params)) {
    expect(values[key], `${name}: reported quantity ${key}`).toBeDefined();
    expect([...values[key].shape], `${name}: shape of ${key}`).toEqual([...shape]);
    expect(Array.from(values[key].values).every(Number.isFinite), `${name}: ${key} is finite`).toBe(true);
  }
}

describe("benchmark examples", () => {
  it("registers exactly the seven benchmark models", () => {
    expect(Object.keys(benchmarks).sort()).toEqual(Object.keys(benchmarkTable).sort());
  });
  for (const [i, [name, want]] of Object.entries(benchmarkTable).entries()) {
    it(`${name}: d = ${want.dim}, Stan's site names and shapes, finite log p`, () => {
      checkExample(name, benchmarks[name as keyof typeof benchmarks], want, 0xe0 + i);
    });
  }
});

describe("posteriordb examples", () => {
  it("registers exactly the posteriors of the table", () => {
    expect(Object.keys(posteriordb).sort()).toEqual(Object.keys(posteriordbTable).sort());
  });
  it("marks exactly the posteriors without a reference", () => {
    expect([...posteriordbNoReference].sort()).toEqual([...noReference].sort());
  });
  for (const [i, [name, want]] of Object.entries(posteriordbTable).entries()) {
    it(`${name}: d = ${want.dim}, Stan's parameter names and shapes, finite log p`, () => {
      checkExample(name, posteriordb[name], want, 0x90 + i);
    });
  }
});
