/**
 * Derivatives of the log densities: the numeric interpreter's forward-mode
 * tangent of Σ log p, along each coordinate of each parameter that is not a
 * count (and of x for continuous families), against central finite
 * differences (or, where a row gives them, reference derivatives), at
 * every row of the table (cases.ts) that does not say why not. This is where the edge-safe forms (x·log y for counts, the bound
 * indicator of the uniform) must keep every derivative finite and exact.
 */
import { describe, expect, it } from "vitest";
import type { Family } from "../../src/dsl/distribution.ts";
import type { Tensor } from "../../src/dsl/tensor.ts";
import { uniform } from "../../src/distributions/uniform.ts";
import { numTensor, type NumTensor } from "../../src/numeric/ops.ts";
import { CASES } from "./cases.ts";
import { m } from "./helpers.ts";

type Args = { x: NumTensor; params: Readonly<Record<string, NumTensor>> };

/** Σ log p and its tangent along `dir` applied to argument `which` ("x" or a parameter). */
function evaluate(family: Family, args: Args, which: string, dir: Float64Array | null, shift = 0): { value: number; tangent: number } {
  const lift = (name: string, t: NumTensor): Tensor => {
    const moved = name === which && dir !== null ? t.v.map((u, i) => u + shift * dir[i]) : Float64Array.from(t.v);
    return numTensor(moved, t.shape, name === which && shift === 0 ? dir : null) as unknown as Tensor;
  };
  const p = Object.fromEntries(Object.entries(args.params).map(([k, v]) => [k, lift(k, v)]));
  const out = m.sum(family.logProb(m, lift("x", args.x), p)) as unknown as NumTensor;
  return { value: out.v[0], tangent: out.d === null ? 0 : out.d[0] };
}

/** Unit directions of an argument; a covariance (domain spd) is moved symmetrically. */
function directions(t: NumTensor, symmetric: boolean): Float64Array[] {
  const out: Float64Array[] = [];
  for (let i = 0; i < t.v.length; i++) {
    const d = new Float64Array(t.v.length);
    d[i] = 1;
    if (symmetric) {
      const k = t.shape[0];
      const [r, c] = [Math.floor(i / k), i % k];
      if (c > r) continue;
      d[c * k + r] = 1;
    }
    out.push(d);
  }
  return out;
}

const checked = CASES.filter((c) => c.gradient === true);

describe("derivatives of log densities: forward mode against central differences", () => {
  it.each(checked.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const args: Args = { x: c.x as unknown as NumTensor, params: c.params as unknown as Record<string, NumTensor> };
    // Counts (binomial n) have no derivative; the value has one when the family is continuous.
    const names = [...Object.keys(c.params).filter((k) => c.family.domains[k] !== "count"), ...(c.family.discrete ? [] : ["x"])];
    expect(names.length).toBeGreaterThan(0);
    for (const name of Object.keys(c.dref)) expect(names, `reference derivative of ${name}`).toContain(name);
    for (const name of names) {
      const value = name === "x" ? args.x : args.params[name];
      if (name in c.dref) {
        // A reference derivative (scalar parameter): forward mode must agree to 1e-9.
        expect(value.v.length).toBe(1);
        const ad = evaluate(c.family, args, name, Float64Array.of(1)).tangent;
        const want = c.dref[name];
        if (!(Math.abs(ad - want) <= 1e-9 * Math.max(1, Math.abs(want)))) expect.fail(`${c.name}: ∂/∂${name} is ${ad}, reference ${want}`);
        continue;
      }
      for (const dir of directions(value, name !== "x" && c.family.domains[name] === "spd")) {
        const ad = evaluate(c.family, args, name, dir).tangent;
        const h = 1e-6;
        const fd = (evaluate(c.family, args, name, dir, h).value - evaluate(c.family, args, name, dir, -h).value) / (2 * h);
        // Both finite: an infinite difference would make the relative bound vacuous.
        if (!Number.isFinite(fd) || !(Math.abs(ad - fd) <= 1e-6 * Math.max(1, Math.abs(fd)))) {
          expect.fail(`${c.name}: ∂/∂${name} along [${Array.from(dir)}] is ${ad}, finite differences ${fd}`);
        }
      }
    }
  });

  it("the uniform's bounds have the derivative of −log(upper − lower) only", () => {
    const scalar = (v: number) => numTensor(Float64Array.of(v), []);
    const args = { x: scalar(0.3), params: { lower: scalar(-0.5), upper: scalar(1.25) } };
    expect(evaluate(uniform, args, "lower", Float64Array.of(1)).tangent).toBeCloseTo(1 / 1.75, 14);
    expect(evaluate(uniform, args, "upper", Float64Array.of(1)).tangent).toBeCloseTo(-1 / 1.75, 14);
    expect(evaluate(uniform, args, "x", Float64Array.of(1)).tangent).toBe(0);
  });
});
