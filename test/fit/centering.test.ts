/**
 * The centering chosen in warm-up (src/fit/centering.ts): only sites with a
 * random location or scale are candidates, a site can ask to stay as
 * written, the centering follows the strength of the data, and the density
 * returned is the model compiled at that centering.
 */
import { describe, expect, it } from "vitest";
import { benchmarks } from "../../examples/index.ts";
import { compile } from "../../src/codegen/compile.ts";
import { model } from "../../src/dsl/model.ts";
import { chooseCentering } from "../../src/fit/centering.ts";
import { reparameterize } from "../../src/handlers/reparameterize.ts";
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
});
