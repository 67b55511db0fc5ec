/**
 * Derivatives of the log densities: the numeric interpreter's forward-mode
 * tangent of Σ log p, along each coordinate of each parameter (and of x for
 * continuous families), against central finite differences. This is where
 * the edge-safe forms (x·log y for counts, the bound indicator of the
 * uniform) must keep every derivative finite and exact.
 */
import { describe, expect, it } from "vitest";
import type { Family } from "../../src/dsl/distribution.ts";
import { numericToArray } from "../../src/dsl/math.ts";
import type { Tensor } from "../../src/dsl/tensor.ts";
import { bernoulliLogit } from "../../src/distributions/bernoulliLogit.ts";
import { beta } from "../../src/distributions/beta.ts";
import { binomial } from "../../src/distributions/binomial.ts";
import { categorical } from "../../src/distributions/categorical.ts";
import { categoricalLogit } from "../../src/distributions/categoricalLogit.ts";
import { cauchy } from "../../src/distributions/cauchy.ts";
import { dirichlet } from "../../src/distributions/dirichlet.ts";
import { gamma } from "../../src/distributions/gamma.ts";
import { gaussianRandomWalkFamily } from "../../src/distributions/gaussianRandomWalk.ts";
import { halfStudentT } from "../../src/distributions/halfStudentT.ts";
import { dist } from "../../src/distributions/index.ts";
import { inverseGamma } from "../../src/distributions/inverseGamma.ts";
import { laplace } from "../../src/distributions/laplace.ts";
import { lkjCholeskyFamily } from "../../src/distributions/lkjCholesky.ts";
import { logistic } from "../../src/distributions/logistic.ts";
import { logNormal } from "../../src/distributions/logNormal.ts";
import { mixtureFamily } from "../../src/distributions/mixture.ts";
import { mvNormal } from "../../src/distributions/mvNormal.ts";
import { mvNormalCholesky } from "../../src/distributions/mvNormalCholesky.ts";
import { negativeBinomial } from "../../src/distributions/negativeBinomial.ts";
import { normal } from "../../src/distributions/normal.ts";
import { poisson } from "../../src/distributions/poisson.ts";
import { studentT } from "../../src/distributions/studentT.ts";
import { uniform } from "../../src/distributions/uniform.ts";
import { weibull } from "../../src/distributions/weibull.ts";
import { numTensor, type NumTensor } from "../../src/numeric/ops.ts";
import { m } from "./helpers.ts";
import type { Numeric } from "../../src/tensor/shape.ts";

type Args = { x: Numeric; params: Record<string, Numeric> };

/** Σ log p and its tangent along `dir` applied to argument `which` ("x" or a parameter). */
function evaluate(family: Family, args: Args, which: string, dir: Float64Array | null, shift = 0): { value: number; tangent: number } {
  const lift = (name: string, v: Numeric): Tensor => {
    const { values, shape } = numericToArray(v);
    const moved = name === which && dir !== null ? values.map((u, i) => u + shift * dir[i]) : values;
    return numTensor(moved, shape, name === which && shift === 0 ? dir : null) as unknown as Tensor;
  };
  const p = Object.fromEntries(Object.entries(args.params).map(([k, v]) => [k, lift(k, v)]));
  const out = m.sum(family.logProb(m, lift("x", args.x), p)) as unknown as NumTensor;
  return { value: out.v[0], tangent: out.d === null ? 0 : out.d[0] };
}

/** Unit directions of an argument; a covariance is moved symmetrically. */
function directions(name: string, v: Numeric): Float64Array[] {
  const { values, shape } = numericToArray(v);
  const out: Float64Array[] = [];
  for (let i = 0; i < values.length; i++) {
    const d = new Float64Array(values.length);
    d[i] = 1;
    if (name === "cov") {
      const k = shape[0];
      const [r, c] = [Math.floor(i / k), i % k];
      if (c > r) continue;
      d[c * k + r] = 1;
    }
    out.push(d);
  }
  return out;
}

const cases: { family: Family; args: Args; wrtX?: boolean }[] = [
  { family: normal, args: { x: [0.3, -2], params: { loc: 0.5, scale: 1.7 } }, wrtX: true },
  { family: cauchy, args: { x: [0.3, 4], params: { loc: 0.5, scale: 1.7 } }, wrtX: true },
  { family: studentT, args: { x: [0.3, -2], params: { nu: 3.5, loc: 0.5, scale: 1.7 } }, wrtX: true },
  { family: halfStudentT, args: { x: [0.3, 2], params: { nu: 3.5, scale: 1.7 } }, wrtX: true },
  { family: gamma, args: { x: [0.3, 2], params: { shape: 2.5, rate: 1.5 } }, wrtX: true },
  { family: inverseGamma, args: { x: [0.3, 2], params: { shape: 2.5, scale: 1.5 } }, wrtX: true },
  { family: beta, args: { x: [0.3, 0.9], params: { a: 2.5, b: 0.7 } }, wrtX: true },
  { family: uniform, args: { x: [0.3, 0.9], params: { lower: -0.5, upper: 1.25 } }, wrtX: true },
  { family: logNormal, args: { x: [0.3, 2], params: { mu: 0.2, sigma: 0.8 } }, wrtX: true },
  { family: laplace, args: { x: [0.3, -2], params: { loc: 0.5, scale: 1.7 } }, wrtX: true },
  { family: logistic, args: { x: [0.3, -2], params: { loc: 0.5, scale: 1.7 } }, wrtX: true },
  { family: weibull, args: { x: [0.3, 2], params: { shape: 1.5, scale: 1.2 } }, wrtX: true },
  { family: bernoulliLogit, args: { x: [0, 1], params: { logit: [0.4, -1.2] } } },
  { family: binomial, args: { x: [0, 3, 10], params: { n: 10, p: [0.3, 0.5, 0.8] } } },
  { family: poisson, args: { x: [0, 4], params: { rate: [0.5, 3] } } },
  { family: negativeBinomial, args: { x: [0, 7], params: { mu: [2, 5], phi: [0.7, 3] } } },
  { family: categorical, args: { x: [2, 0], params: { p: [0.2, 0, 0.8] } } },
  { family: categoricalLogit, args: { x: [2, 0], params: { logits: [0.2, -1, 0.8] } } },
  { family: dirichlet, args: { x: [0.2, 0.3, 0.5], params: { alpha: [0.5, 2, 3] } }, wrtX: true },
  { family: mvNormal, args: { x: [[0.5, -1], [2, 0]], params: { mu: [1, -2], cov: [[2, 0.6], [0.6, 1]] } }, wrtX: true },
  { family: mvNormalCholesky, args: { x: [0.5, -1], params: { mu: [1, -2], L: [[1.2, 0], [0.3, 0.9]] } }, wrtX: true },
  { family: lkjCholeskyFamily(3), args: { x: [[1, 0, 0], [0.3, Math.sqrt(0.91), 0], [-0.5, 0.4, Math.sqrt(0.59)]], params: { eta: 1.7 } }, wrtX: true },
  { family: gaussianRandomWalkFamily(4), args: { x: [0.3, -0.2, 1.5, 1.4], params: { scale: 0.7 } }, wrtX: true },
  {
    family: mixtureFamily([dist(normal, { loc: m.constant(0), scale: m.constant(1) }), dist(normal, { loc: m.constant(0), scale: m.constant(1) })]),
    args: { x: [0.3, -2], params: { weights: [0.3, 0.7], c0_loc: -1, c0_scale: 0.5, c1_loc: 2, c1_scale: 1 } },
    wrtX: true,
  },
];

describe("derivatives of log densities: forward mode against central differences", () => {
  it.each(cases.map((c) => [c.family.name, c] as const))("%s", (_name, c) => {
    const names = [...Object.keys(c.args.params).filter((k) => !(c.family === binomial && k === "n")), ...(c.wrtX ? ["x"] : [])];
    for (const name of names) {
      const value = name === "x" ? c.args.x : c.args.params[name];
      for (const dir of directions(name, value)) {
        const ad = evaluate(c.family, c.args, name, dir).tangent;
        const h = 1e-6;
        const fd = (evaluate(c.family, c.args, name, dir, h).value - evaluate(c.family, c.args, name, dir, -h).value) / (2 * h);
        if (!(Math.abs(ad - fd) <= 1e-6 * Math.max(1, Math.abs(fd)))) {
          expect.fail(`${c.family.name}: ∂/∂${name} along [${Array.from(dir)}] is ${ad}, finite differences ${fd}`);
        }
      }
    }
  });

  it("the uniform's bounds have the derivative of −log(upper − lower) only", () => {
    const args = { x: 0.3, params: { lower: -0.5, upper: 1.25 } };
    expect(evaluate(uniform, args, "lower", Float64Array.of(1)).tangent).toBeCloseTo(1 / 1.75, 14);
    expect(evaluate(uniform, args, "upper", Float64Array.of(1)).tangent).toBeCloseTo(-1 / 1.75, 14);
    expect(evaluate(uniform, args, "x", Float64Array.of(1)).tangent).toBe(0);
  });
});
