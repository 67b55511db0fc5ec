/**
 * N(μ, diag(σ²)) written by hand, as a log density and as the target a
 * lockstep run reports its draws through (x as is): the lockstep tests'
 * exact target.
 */
import type { LogDensity } from "../../src/codegen/density.ts";
import type { LockstepTarget } from "../../src/fit/lockstepDensity.ts";

/** N(μ, diag(σ²)) in μ and σ's dimension. */
export function gaussian(mu: readonly number[], sd: readonly number[]): LogDensity & LockstepTarget {
  const d = mu.length;
  return {
    dim: d,
    logp: (q) => mu.reduce((s, m, i) => s - 0.5 * ((q[i] - m) / sd[i]) ** 2, 0),
    logpGrad(q, g) {
      let s = 0;
      for (let i = 0; i < d; i++) {
        const z = (q[i] - mu[i]) / sd[i];
        s -= 0.5 * z * z;
        g[i] = -z / sd[i];
      }
      return s;
    },
    valueLayout: [{ name: "x", shape: [d], offset: 0, size: d, kind: "parameter" }],
    valueSize: d,
    constrain: (q, out = new Float64Array(d)) => {
      out.set(q);
      return out;
    },
  };
}

/** The d-dimensional standard normal. */
export function standardNormal(d: number): LogDensity & LockstepTarget {
  return gaussian(new Array<number>(d).fill(0), new Array<number>(d).fill(1));
}
