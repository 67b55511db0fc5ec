/**
 * condition, substitute and block change the density by the numbers a user
 * expects (checked against hand-written log densities and the original
 * model), compose in NumPyro's order, keep the model's type, and reject
 * unknown names and bad values with typed errors.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { compile } from "../../src/codegen/compile.ts";
import { type HandlerWrap, model, withHandler } from "../../src/dsl/model.ts";
import { ShapeError, SiteNameError, SupportError } from "../../src/errors.ts";
import { condition, substitute } from "../../src/handlers/replace.ts";
import { logDensity } from "../../src/interpreters/logDensity.ts";
import { prettyPrint } from "../../src/interpreters/pretty.ts";
import { priorSample } from "../../src/interpreters/prior.ts";
import { randomPoints } from "../helpers/agree.ts";
import schools, { data } from "../../examples/eight_schools.ts";
import { block } from "../../src/handlers/block.ts";

const logNormal = (x: number, mu: number, s: number) => -0.5 * ((x - mu) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI);
const logHalfNormal = (x: number, s: number) => Math.log(2) + logNormal(x, 0, s);

/** log p(mu, theta | tau) p(y | theta) by hand, θ = [mu, theta₁…₈] (identity transforms). */
function withoutTauTerm(theta: Float64Array, tau: number): number {
  const mu = theta[0];
  let lp = logNormal(mu, 0, 5);
  for (let j = 0; j < 8; j++) lp += logNormal(theta[1 + j], mu, tau) + logNormal(data.y[j], theta[1 + j], data.sigma[j]);
  return lp;
}

const expectSiteError = (
  f: () => unknown,
  cls: typeof SiteNameError | typeof ShapeError | typeof SupportError,
  site: string,
  pattern: RegExp,
) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    expect((e as SiteNameError).site).toBe(site);
    expect((e as Error).message).toMatch(pattern);
    return;
  }
  expect.fail(`expected ${cls.name} for '${site}'`);
};

describe("condition", () => {
  const conditioned = condition(schools, { tau: 2 });

  it("observes the site: its term is the density at the value, and it leaves the layout", () => {
    const ref = logDensity(conditioned, data);
    const original = logDensity(schools, data);
    expect(ref.layout.map((e) => e.name)).toEqual(["mu", "theta"]);
    expect(ref.dim).toBe(9);
    for (const theta of randomPoints(9, 5, 1)) {
      const want = withoutTauTerm(theta, 2) + logHalfNormal(2, 5);
      expect(ref.logp(theta)).toBeCloseTo(want, 10);
      // The original at tau = 2 (unconstrained log 2), minus the log transform's Jacobian log 2.
      const full = Float64Array.from([theta[0], Math.log(2), ...theta.slice(1)]);
      expect(ref.logp(theta)).toBeCloseTo(original.logp(full) - Math.log(2), 10);
    }
  });

  it("compiles to the same density as the reference", () => {
    const compiled = compile(conditioned, data);
    const ref = logDensity(conditioned, data);
    for (const theta of randomPoints(9, 3, 2)) expect(compiled.logp(theta)).toBeCloseTo(ref.logp(theta), 9);
  });

  it("fixes the value in prior draws", () => {
    const prior = priorSample(conditioned, data, { draws: 20, seed: 3 });
    expect(prior.draws.tau).toEqual(new Array(20).fill(2));
    expect(prior.draws.theta).toHaveLength(20);
  });

  it("prints the site as observed data", () => {
    const text = prettyPrint(conditioned, data);
    expect(text).toMatch(/data \{[^}]*tau\s+: real\n/);
    expect(text).not.toMatch(/parameters \{[^}]*tau/);
    expect(text).toContain("tau ~ normal(0, 5)");
  });

  it("keeps the model's type", () => {
    expectTypeOf(conditioned).toEqualTypeOf(schools);
    expectTypeOf(priorSample(conditioned, data).draws.theta).toEqualTypeOf<number[][]>();
  });

  it("checks the value's shape and support", () => {
    expectSiteError(
      () => logDensity(condition(schools, { tau: -1 }), data),
      SupportError,
      "tau",
      /condition value = -1 is outside the support/,
    );
    expectSiteError(() => logDensity(condition(schools, { tau: Number.NaN }), data), SupportError, "tau", /must be finite/);
    expectSiteError(() => logDensity(condition(schools, { theta: [1, 2] }), data), ShapeError, "theta", /shape \[2\], the site \[8\]/);
  });

  it("rejects a name that matches no latent site, in every interpreter", () => {
    const bad = condition(schools, { nope: 1 });
    for (const run of [
      () => logDensity(bad, data),
      () => priorSample(bad, data, { draws: 1 }),
      () => compile(bad, data),
      () => prettyPrint(bad, data),
    ]) {
      expectSiteError(run, SiteNameError, "nope", /no site of this name/);
    }
    expectSiteError(() => logDensity(condition(schools, { y: data.y }), data), SiteNameError, "y", /this is an observed site/);
  });

  it("accepts site names that are object keys", () => {
    const proto = model((m) => {
      const x = m.sample("constructor", m.normal(0, 1));
      m.sample("toString", m.normal(x, 1));
      return {};
    });
    // The unconditioned "toString" stays a parameter although every object has a toString.
    const ref = logDensity(condition(proto, { constructor: 0.5 }), undefined);
    expect(ref.layout.map((e) => e.name)).toEqual(["toString"]);
    expect(ref.logp(Float64Array.of(1))).toBeCloseTo(logNormal(0.5, 0, 1) + logNormal(1, 0.5, 1), 12);
  });
});

describe("substitute", () => {
  const substituted = substitute(schools, { tau: 2 });

  it("keeps the site's log density at the value (as NumPyro does), and drops it from the layout", () => {
    const ref = logDensity(substituted, data);
    expect(ref.layout.map((e) => e.name)).toEqual(["mu", "theta"]);
    for (const theta of randomPoints(9, 5, 4)) expect(ref.logp(theta)).toBeCloseTo(withoutTauTerm(theta, 2) + logHalfNormal(2, 5), 10);
  });

  it("compiles to the same density as the reference", () => {
    const compiled = compile(substituted, data);
    const ref = logDensity(substituted, data);
    for (const theta of randomPoints(9, 3, 5)) expect(compiled.logp(theta)).toBeCloseTo(ref.logp(theta), 9);
  });

  it("does not make the site an observation, as condition does: no pointwise log-likelihood of it", () => {
    const at = { mu: 1, theta: [1, 2, 3, 4, 5, 6, 7, 8] };
    expect(Object.keys(logDensity(substituted, data).logLikConstrained(at))).toEqual(["y"]);
    expect(Object.keys(logDensity(condition(schools, { tau: 2 }), data).logLikConstrained(at)).sort()).toEqual(["tau", "y"]);
  });

  it("fixes the value in prior draws", () => {
    expect(priorSample(substituted, data, { draws: 5 }).draws.tau).toEqual([2, 2, 2, 2, 2]);
  });

  it("checks values and names", () => {
    expectSiteError(() => logDensity(substitute(schools, { tau: 0 }), data), SupportError, "tau", /substitute value = 0/);
    expectSiteError(() => logDensity(substitute(schools, { tua: 1 }), data), SiteNameError, "tua", /substitute/);
  });
});

describe("block and handler order", () => {
  /** A wrap that records, in `log`, each site name it sees, tagged. */
  const recorder =
    (tag: string, log: string[]): HandlerWrap =>
    (next) => ({
      sample: (site) => (log.push(`${tag}:${site.name}`), next.sample(site)),
      observe: (site) => (log.push(`${tag}:${site.name}`), next.observe(site)),
      data: (name, values, shape) => (log.push(`${tag}:${name}`), next.data(name, values, shape)),
      deterministic: (name, value) => (log.push(`${tag}:${name}`), next.deterministic(name, value)),
      factor: (name, logp) => (log.push(`${tag}:${name}`), next.factor(name, logp)),
    });

  it("the handler applied first sees each site first", () => {
    const log: string[] = [];
    logDensity(withHandler(withHandler(schools, recorder("inner", log)), recorder("outer", log)), data);
    expect(log.slice(0, 4)).toEqual(["inner:mu", "outer:mu", "inner:tau", "outer:tau"]);
  });

  it("hides the named sites from handlers applied around it, not from the interpreter", () => {
    const log: string[] = [];
    const blocked = withHandler(block(schools, ["mu", "y"]), recorder("outer", log));
    const ref = logDensity(blocked, data);
    expect(log).toEqual(["outer:tau", "outer:theta", "outer:sigma"]);
    expect(ref.layout.map((e) => e.name)).toEqual(["mu", "tau", "theta"]);
    const original = logDensity(schools, data);
    for (const theta of randomPoints(10, 3, 5)) expect(ref.logp(theta)).toBe(original.logp(theta));
  });

  it("hides every site when no names are given", () => {
    const log: string[] = [];
    logDensity(withHandler(block(schools), recorder("outer", log)), data);
    expect(log).toEqual([]);
  });

  it("block(condition(m)) conditions; condition(block(m)) cannot see the site", () => {
    const inner = logDensity(block(condition(schools, { tau: 2 }), ["tau"]), data);
    const plain = logDensity(condition(schools, { tau: 2 }), data);
    expect(inner.layout.map((e) => e.name)).toEqual(["mu", "theta"]);
    for (const theta of randomPoints(9, 3, 6)) expect(inner.logp(theta)).toBe(plain.logp(theta));
    expectSiteError(() => logDensity(condition(block(schools, ["tau"]), { tau: 2 }), data), SiteNameError, "tau", /hidden by block/);
    // Sites block does not name stay visible.
    expect(logDensity(condition(block(schools, ["mu"]), { tau: 2 }), data).layout.map((e) => e.name)).toEqual(["mu", "theta"]);
  });

  it("condition then substitute: the outer handler no longer sees a latent site", () => {
    expectSiteError(
      () => logDensity(substitute(condition(schools, { tau: 2 }), { tau: 3 }), data),
      SiteNameError,
      "tau",
      /this is an observed site/,
    );
  });

  it("rejects a block name that matches no site", () => {
    expectSiteError(() => logDensity(block(schools, ["nope"]), data), SiteNameError, "nope", /block/);
  });
});
