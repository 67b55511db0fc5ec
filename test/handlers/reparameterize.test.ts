/**
 * Partial centering (src/handlers/reparameterize.ts): the rewritten model is
 * the same distribution, its density equals the original's at the mapped
 * point plus the log-Jacobian of x̃ ↦ x, for any centering λ; sites written
 * non-centered too, rewritten at their sample or at their deterministic,
 * with every reported value consistent. Which sites are reparameterized,
 * and with which λ, chooseCentering decides (test/fit/centering.test.ts);
 * which count as written non-centered, test/handlers/affineSites.test.ts.
 */
import { describe, expect, it } from "vitest";
import { benchmarks, posteriordb } from "../../examples/index.ts";
import eightSchoolsNc, { data as schools } from "../../examples/eight_schools_noncentered.ts";
import { compile } from "../../src/codegen/compile.ts";
import { type Model, model, type Outputs } from "../../src/dsl/model.ts";
import { logDensity } from "../../src/interpreters/logDensity.ts";
import { reparameterize } from "../../src/handlers/reparameterize.ts";
import { Rng } from "../../src/random/rng.ts";
import { expectAgree, randomPoints } from "../helpers/agree.ts";

/**
 * Checks a model written non-centered (`raw` ~ Normal(0, 1) of 8 elements,
 * `theta` = mu + tau · raw, possibly through `offset` = tau · raw) rewritten at
 * random centerings: log p equals the written model's at the reported point
 * plus log |dz/dx̃| = −Σ λ_j log tau, the reported values are consistent, and
 * the compiled density agrees with the reference one.
 */
function checkNonCentered<D, O extends Outputs>(mdl: Model<D, O>, data: D, raw: string, seed: number): void {
  const rng = new Rng(seed);
  const lambda = Float64Array.from({ length: 8 }, () => rng.uniform());
  const rewrittenModel = reparameterize(mdl, new Map([[raw, lambda]]));
  const original = logDensity(mdl, data);
  const rewritten = logDensity(rewrittenModel, data);
  const compiled = compile(rewrittenModel, data);
  expect(rewritten.layout).toEqual(original.layout);
  const grad = new Float64Array(compiled.dim);
  for (const tilde of randomPoints(rewritten.dim, 5, seed)) {
    const x = rewritten.constrain(tilde);
    const [mu, tau] = [x.mu.values[0], x.tau.values[0]];
    const z = x[raw].values;
    const point = Float64Array.from(tilde);
    point.set(z, rewritten.layout.find((e) => e.name === raw)!.offset);
    const want = original.logp(point) - lambda.reduce((a, l) => a + l * Math.log(tau), 0);
    expect(Math.abs(rewritten.logp(tilde) - want)).toBeLessThan(1e-10 * Math.max(1, Math.abs(want)));
    for (let j = 0; j < 8; j++) {
      expect(x.theta.values[j]).toBeCloseTo(mu + tau * z[j], 10);
      if (x.offset !== undefined) expect(x.offset.values[j]).toBeCloseTo(tau * z[j], 10);
    }
    expectAgree({ logp: compiled.logpGrad(tilde, grad), grad }, rewritten.logpGrad(tilde), 1e-10, `${raw} at a random point`);
  }
}

describe("reparameterize", () => {
  it("keeps the density of eight schools for any centering", () => {
    const { model: schools, data } = benchmarks.eight_schools;
    const rng = new Rng(5);
    const lambdaMu = rng.uniform();
    const lambdaTheta = Float64Array.from({ length: 8 }, () => rng.uniform());
    // mu (constant location and scale) is never chosen automatically, but a plan may still rescale it.
    const plan = new Map([
      ["mu", Float64Array.of(lambdaMu)],
      ["theta", lambdaTheta],
    ]);
    const original = logDensity(schools, data);
    const rewritten = logDensity(reparameterize(schools, plan), data);
    expect(rewritten.layout.map((e) => e.name)).toEqual(original.layout.map((e) => e.name));
    for (const tilde of randomPoints(rewritten.dim, 5, 17)) {
      const x = rewritten.constrain(tilde);
      const mu = x.mu.values[0];
      const tau = x.tau.values[0];
      const theta = x.theta.values;
      // The written model's θ: mu and theta as values (identity transform), tau as drawn (log).
      const point = Float64Array.from([mu, tilde[1], ...theta]);
      // log |dx/dx̃| = (1 − λ) log σ per element: σ = 5 for mu, tau for theta.
      let logJac = (1 - lambdaMu) * Math.log(5);
      for (const l of lambdaTheta) logJac += (1 - l) * Math.log(tau);
      const want = original.logp(point) + logJac;
      expect(Math.abs(rewritten.logp(tilde) - want)).toBeLessThan(1e-10 * Math.max(1, Math.abs(want)));
      // At λ-independent quantities: x = μ + σ^(1−λ)(x̃ − λμ).
      for (let j = 0; j < 8; j++) {
        expect(theta[j]).toBeCloseTo(mu + tau ** (1 - lambdaTheta[j]) * (tilde[2 + j] - lambdaTheta[j] * mu), 10);
      }
    }
  });

  it("keeps the density of a Gaussian random walk", () => {
    const walk = model((m) => {
      const sigma = m.sample("sigma", m.exponential(1));
      const s = m.sample("s", m.gaussianRandomWalk(sigma, 6));
      m.observe("y", m.normal(s, 0.5), [0.1, 0.3, -0.2, 0.4, 0.8, 1.1]);
      return { sigma, s };
    });
    const lambda = 0.3;
    const original = logDensity(walk, undefined);
    const rewritten = logDensity(reparameterize(walk, new Map([["s", Float64Array.of(lambda)]])), undefined);
    for (const tilde of randomPoints(rewritten.dim, 5, 19)) {
      const x = rewritten.constrain(tilde);
      const sigma = x.sigma.values[0];
      const want = original.logp(Float64Array.from([tilde[0], ...x.s.values])) + 6 * (1 - lambda) * Math.log(sigma);
      expect(Math.abs(rewritten.logp(tilde) - want)).toBeLessThan(1e-10 * Math.max(1, Math.abs(want)));
    }
  });

  it("keeps the density of a model written non-centered, rewritten at its sample", () => {
    checkNonCentered(eightSchoolsNc, schools, "theta_raw", 23);
  });

  it("keeps the density of a model written non-centered, rewritten at its deterministic", () => {
    const es = posteriordb["eight_schools-eight_schools_noncentered"];
    checkNonCentered(es.model, es.data, "theta_trans", 29);
  });

  it("re-reports the deterministics on the way to the rewritten one", () => {
    const chain = model((m, d: typeof schools) => {
      const z = m.sample("z", m.normal(0, 1), { shape: [8] });
      const mu = m.sample("mu", m.normal(0, 5));
      const tau = m.sample("tau", m.halfNormal(5));
      const offset = m.deterministic("offset", m.mul(tau, z));
      const theta = m.deterministic("theta", m.add(mu, offset));
      m.observe("y", m.normal(theta, m.data("sigma", d.sigma)), d.y);
      return { z, mu, tau, offset, theta };
    });
    checkNonCentered(chain, schools, "z", 31);
  });
});
