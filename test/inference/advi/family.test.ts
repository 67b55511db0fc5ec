/**
 * The variational families: the reparameterization gradient that
 * `accumulate` + `finish` build for one η equals the finite-difference
 * gradient of log p(T(η; params)) + entropy(params) in the parameters, and
 * the entropy is the normal's closed form.
 */
import { describe, expect, it } from "vitest";
import { fullrank, meanfield, type Family } from "../../../src/inference/advi/family.ts";
import { correlatedGaussian } from "../../helpers/gaussian.ts";

const target = correlatedGaussian([0.5, -1, 2], [2, 0.6, -0.3, 0.6, 1, 0.2, -0.3, 0.2, 0.5]);
const eta = Float64Array.of(0.3, -1.2, 0.8);

/** log p(T(η)) + entropy, the one-draw ELBO whose gradient the family builds. */
function objective(f: Family, params: Float64Array): number {
  const z = new Float64Array(3);
  f.transform(params, eta, z);
  return target.logp(z) + f.entropy(params);
}

function params(f: Family): Float64Array {
  const p = f.initial(Float64Array.of(0.1, 0.2, -0.3));
  // Move the scale off its initial value so every term of the gradient matters.
  for (let k = 3; k < f.size; k++) p[k] += 0.1 * ((k * 7) % 5) - 0.2;
  return p;
}

describe("variational families", () => {
  for (const f of [meanfield(3), fullrank(3)]) {
    it(`${f.kind}: the gradient of one draw equals central differences`, () => {
      const p = params(f);
      const z = new Float64Array(3);
      const g = new Float64Array(3);
      f.transform(p, eta, z);
      target.logpGrad(z, g);
      const acc = new Float64Array(f.size);
      f.accumulate(p, eta, g, acc);
      f.finish(p, acc, 1);
      for (let k = 0; k < f.size; k++) {
        // Above the diagonal L is not a parameter: its gradient stays 0.
        if (f.kind === "fullrank" && k >= 3 && (k - 3) % 3 > Math.floor((k - 3) / 3)) {
          expect(acc[k]).toBe(0);
          continue;
        }
        const h = 1e-6;
        const up = p.slice();
        const down = p.slice();
        up[k] += h;
        down[k] -= h;
        // Central differences of a smooth function: error O(h²) ≈ 1e-12, rounding ≈ 1e-16 / h = 1e-10.
        expect(acc[k]).toBeCloseTo((objective(f, up) - objective(f, down)) / (2 * h), 7);
      }
    });
  }

  it("entropy: ½ d (1 + log 2π) + log |det scale|", () => {
    const c = 0.5 * (1 + Math.log(2 * Math.PI));
    expect(meanfield(2).entropy(Float64Array.of(0, 0, 0.5, -2))).toBeCloseTo(2 * c - 1.5, 14);
    // L = [[2, 0], [5, −0.5]]: log |2 · −0.5| = 0.
    expect(fullrank(2).entropy(Float64Array.of(0, 0, 2, 0, 5, -0.5))).toBeCloseTo(2 * c, 14);
  });

  it("approximation: mu and omega, or mu and L (copies)", () => {
    const p = fullrank(2).initial(Float64Array.of(1, 2));
    const a = fullrank(2).approximation(p);
    expect(a).toEqual({ kind: "fullrank", mu: Float64Array.of(1, 2), L: Float64Array.of(1, 0, 0, 1) });
    p[0] = 9;
    expect(a.mu[0]).toBe(1);
    expect(meanfield(1).approximation(Float64Array.of(3, -1))).toEqual({
      kind: "meanfield",
      mu: Float64Array.of(3),
      omega: Float64Array.of(-1),
    });
  });
});
