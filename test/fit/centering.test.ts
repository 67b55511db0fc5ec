/**
 * The centering chosen in warm-up (src/fit/centering.ts): only sites with a
 * random location or scale (or written non-centered) are candidates, a site
 * can ask to stay as written, the centering follows the strength of the
 * data, written either way, and the density returned is the model compiled
 * at that centering, the one a run's recorded centering rebuilds.
 */
import { describe, expect, it } from "vitest";
import { benchmarks, posteriordb } from "../../examples/index.ts";
import wellMeasured, { data as wellMeasuredData } from "../../examples/well_measured.ts";
import knownTau, { data as knownTauData, TAU } from "../../examples/well_measured_known_tau.ts";
import { compile } from "../../src/codegen/compile.ts";
import { modelHash } from "../../src/codegen/hash.ts";
import { model } from "../../src/dsl/model.ts";
import { chooseCentering } from "../../src/fit/centering.ts";
import { reparameterize, reparameterizeAt } from "../../src/handlers/reparameterize.ts";
import { resolveOptions } from "../../src/inference/options.ts";
import { randomPoints } from "../helpers/agree.ts";

describe("chooseCentering", () => {
  it("only sites with a random location or scale are candidates", () => {
    const { plan } = chooseCentering(benchmarks.eight_schools.model, benchmarks.eight_schools.data, resolveOptions({ seed: 1 }));
    expect([...plan.keys()]).toEqual(["theta"]);
    expect(chooseCentering(benchmarks.logistic.model, benchmarks.logistic.data, resolveOptions({ seed: 1 })).plan.size).toBe(0);
  });

  it("a site can ask to stay as written", () => {
    const pinned = model((m) => {
      const tau = m.sample("tau", m.halfNormal(1));
      return { x: m.sample("x", m.normal(0, tau), { shape: [3], reparam: "centered" }) };
    });
    expect(chooseCentering(pinned, undefined, resolveOptions({ seed: 1 })).plan.size).toBe(0);
  });

  it("non-centers where the data are weak and centers where they are strong", () => {
    const opts = resolveOptions({ seed: 1 });
    const { plan: schools } = chooseCentering(benchmarks.eight_schools.model, benchmarks.eight_schools.data, opts);
    for (const l of schools.get("theta")!) expect(l).toBeLessThan(0.3);
    const { plan: funnel } = chooseCentering(benchmarks.funnel.model, benchmarks.funnel.data, opts);
    for (const l of funnel.get("x")!) expect(l).toBeLessThan(0.05);
    const { plan: medium } = chooseCentering(benchmarks.medium.model, benchmarks.medium.data, opts);
    for (const [, ls] of medium) for (const l of ls) expect(l).toBeGreaterThan(0.9);
  });

  it("returns the model compiled at the chosen centering", () => {
    const { model: schools, data } = benchmarks.eight_schools;
    const { plan, density } = chooseCentering(schools, data, resolveOptions({ seed: 1 }));
    const fresh = compile(reparameterize(schools, plan), data);
    const grad = new Float64Array(density.dim);
    const freshGrad = new Float64Array(density.dim);
    for (const theta of randomPoints(density.dim, 3, 29)) {
      expect(density.logpGrad(theta, grad)).toBe(fresh.logpGrad(theta, freshGrad));
      expect(grad).toEqual(freshGrad);
    }
  });

  it("centers a site written non-centered where the data are strong", () => {
    const opts = resolveOptions({ seed: 1 });
    // Known tau: the pilot's curvature is exact, λ_j = tau² / (tau² + sigma_j²) (finite differences of 1e-4 aside).
    const known = chooseCentering(knownTau, knownTauData, opts).plan.get("theta_raw")!;
    knownTauData.sigma.forEach((s, j) => expect(known[j]).toBeCloseTo(TAU ** 2 / (TAU ** 2 + s ** 2), 3));
    // Random tau (≈ 4–5 in the posterior): the three groups measured to ±0.1 are centered, the five to ±9–18 are not.
    const random = chooseCentering(wellMeasured, wellMeasuredData, opts).plan.get("theta_raw")!;
    for (const j of [0, 1, 2]) expect(random[j]).toBeGreaterThan(0.99);
    for (const j of [3, 4, 5, 6, 7]) expect(random[j]).toBeLessThan(0.2);
    // Eight schools written non-centered stays so, as the centered one is non-centered.
    const es = posteriordb["eight_schools-eight_schools_noncentered"];
    for (const l of chooseCentering(es.model, es.data, opts).plan.get("theta_trans")!) expect(l).toBeLessThan(0.3);
  });

  it("a written non-centered site's centering rebuilds the same density from a run's record", () => {
    const { plan, density } = chooseCentering(wellMeasured, wellMeasuredData, resolveOptions({ seed: 1 }));
    const centering = Object.fromEntries([...plan].map(([name, lambda]) => [name, Array.from(lambda)]));
    const fresh = compile(reparameterizeAt(wellMeasured, centering), wellMeasuredData);
    expect(modelHash(fresh.toPlain())).toBe(modelHash(density.toPlain()));
    const grad = new Float64Array(density.dim);
    const freshGrad = new Float64Array(density.dim);
    for (const theta of randomPoints(density.dim, 3, 31)) {
      expect(density.logpGrad(theta, grad)).toBe(fresh.logpGrad(theta, freshGrad));
      expect(grad).toEqual(freshGrad);
    }
  });
});
