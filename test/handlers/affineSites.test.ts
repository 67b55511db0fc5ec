/**
 * Which standard-normal sites count as written non-centered
 * (src/handlers/affineSites.ts), and where each is rewritten: at its own
 * sample when its loc and scale use only values received before it, else at
 * the last deterministic on its path. What is deliberately not matched is
 * listed in that module's comment; each case is here.
 */
import { describe, expect, it } from "vitest";
import { posteriordb } from "../../examples/index.ts";
import eightSchoolsNc, { data as schools } from "../../examples/eight_schools_noncentered.ts";
import { type Model, type ModelAlg, model, type Outputs } from "../../src/dsl/model.ts";
import type { Tensor } from "../../src/dsl/tensor.ts";
import { findAffineSites } from "../../src/handlers/affineSites.ts";

/** Each site found: where it is rewritten, its steps (op, and L when the operand is on the left) and the deterministics re-reported. */
function found<D, O extends Outputs>(mdl: Model<D, O>, data: D) {
  return Object.fromEntries(
    [...findAffineSites(mdl, data)].map(([name, a]) => [
      name,
      { at: a.at, steps: a.steps.map((s) => s.op + (s.left ? "L" : "")), named: a.named.map((n) => `${n.name}@${n.after}`) },
    ]),
  );
}

const y = [1.2, -0.4, 2.5];

/** Observes `y` around `theta` at site `name`. */
const lik = (m: ModelAlg, name: string, theta: Tensor) => m.observe(name, m.normal(theta, 0.5), y);

describe("sites written non-centered", () => {
  it("rewritten at the sample when loc and scale come first", () => {
    expect(found(eightSchoolsNc, schools)).toEqual({ theta_raw: { at: undefined, steps: ["mulL", "addL"], named: [] } });
  });

  it("rewritten at the deterministic when they come after (posteriordb's orders)", () => {
    const es = posteriordb["eight_schools-eight_schools_noncentered"];
    expect(found(es.model, es.data)).toEqual({ theta_trans: { at: "theta", steps: ["mul", "add"], named: [] } });
    const radon = posteriordb["radon_mn-radon_hierarchical_intercept_noncentered"];
    expect(found(radon.model, radon.data)).toEqual({ alpha_raw: { at: "alpha", steps: ["mulL", "addL"], named: [] } });
  });

  it("through several deterministics, the earlier ones re-reported", () => {
    const chain = model((m) => {
      const z = m.sample("z", m.normal(0, 1), { shape: [3] });
      const mu = m.sample("mu", m.normal(0, 5));
      const tau = m.sample("tau", m.halfNormal(2));
      const copy = m.deterministic("copy", z);
      const offset = m.deterministic("offset", m.mul(tau, copy));
      const theta = m.deterministic("theta", m.add(mu, offset));
      lik(m, "y", theta);
      return { theta };
    });
    expect(found(chain, undefined)).toEqual({ z: { at: "theta", steps: ["mulL", "addL"], named: ["copy@0", "offset@1"] } });
  });

  it("scalar sites, positive scales built from parameters, loc or scale alone", () => {
    const forms = model((m) => {
      const logTau = m.sample("log_tau", m.normal(0, 1));
      const mu = m.sample("mu", m.normal(0, 5));
      const a = m.sample("a", m.normal(0, 1));
      const b = m.sample("b", m.normal(0, 1), { shape: [3] });
      const c = m.sample("c", m.normal(0, 1), { shape: [3] });
      lik(m, "ya", m.add(m.div(m.mul(a, m.exp(logTau)), 2), mu));
      lik(m, "yb", m.mul(m.sqrt(m.square(m.exp(logTau))), b));
      lik(m, "yc", m.sub(c, mu));
      return {};
    });
    expect(found(forms, undefined)).toEqual({
      a: { at: undefined, steps: ["mul", "div", "add"], named: [] },
      b: { at: undefined, steps: ["mulL"], named: [] },
      c: { at: undefined, steps: ["sub"], named: [] },
    });
  });

  it("a path stops where it meets the one an earlier site is rewritten along", () => {
    const two = model((m) => {
      const z1 = m.sample("z1", m.normal(0, 1), { shape: [3] });
      const z2 = m.sample("z2", m.normal(0, 1), { shape: [3] });
      const mu = m.sample("mu", m.normal(0, 5));
      const tau = m.sample("tau", m.halfNormal(2), { shape: [2] });
      lik(m, "y", m.deterministic("theta", m.add(m.add(mu, m.mul(m.at(tau, 0), z1)), m.mul(m.at(tau, 1), z2))));
      return {};
    });
    expect(found(two, undefined)).toEqual({ z1: { at: "theta", steps: ["mulL", "addL", "add"], named: [] } });
  });

  it("not matched: other uses, non-affine uses, signs and scales it cannot take powers of, constants, pins", () => {
    const none = model((m, d: { s: number[] }) => {
      const mu = m.sample("mu", m.normal(0, 5));
      const tau = m.sample("tau", m.halfNormal(2), { shape: [3] });
      const beta = m.sample("beta", m.normal(0, 1));
      const z = (name: string, opts: { reparam?: "centered" } = {}) => m.sample(name, m.normal(0, 1), { shape: [3], ...opts });
      const observe = (name: string, theta: Tensor) => lik(m, name, theta);
      const twice = z("twice");
      observe("y1", m.add(mu, m.mul(tau, twice)));
      m.factor("f1", m.sum(twice));
      observe("y2", m.add(mu, m.exp(z("nonAffine"))));
      observe("y3", m.add(mu, m.mul(tau, m.sample("scalar", m.normal(0, 1)))));
      observe("y4", m.sub(mu, z("negated")));
      observe("y5", m.add(mu, m.mul(m.data("s", d.s), z("dataScale"))));
      observe("y6", m.add(mu, m.mul(beta, z("signedScale"))));
      observe("y7", m.add(mu, m.mul(tau, m.sample("notStandard", m.normal(0, 2), { shape: [3] }))));
      observe("y8", m.add(mu, m.mul(tau, z("pinned", { reparam: "centered" }))));
      observe("y9", m.add(1, m.mul(2, z("constants"))));
      const reported = z("reported");
      const theta = m.add(mu, m.mul(tau, reported));
      m.deterministic("theta", theta);
      m.deterministic("square", m.square(reported));
      observe("y10", theta);
      return {};
    });
    expect(found(none, { s: [1, 2, 3] })).toEqual({});
  });

  it("not matched: an affine value used besides the deterministic naming it, loc and scale given after z", () => {
    const leaky = model((m) => {
      const z = m.sample("z", m.normal(0, 1), { shape: [3] });
      const mu = m.sample("mu", m.normal(0, 5));
      const tau = m.sample("tau", m.halfNormal(2));
      const theta = m.add(mu, m.mul(tau, z));
      m.deterministic("theta", theta);
      lik(m, "y", theta);
      return {};
    });
    expect(found(leaky, undefined)).toEqual({});
  });
});
