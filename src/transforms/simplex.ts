/**
 * The simplex by stick-breaking, as in Stan: K − 1 unconstrained values
 * break off fractions of a unit stick; an offset of log(1/(K − 1 − j)) makes
 * z = 0 the uniform simplex.
 * @module
 */
import type { Transform } from "../dsl/transform.ts";
import { logit } from "./bounded.ts";
import { columns, fromColumns, vectorsOf } from "./lastAxis.ts";

/**
 * With fractions fⱼ = σ(zⱼ − log(K − 1 − j)) and the stick left before
 * piece j, sⱼ = Πᵢ<ⱼ (1 − fᵢ): xⱼ = sⱼ fⱼ, x_K = s_K; the log-Jacobian is
 * Σⱼ log fⱼ + log(1 − fⱼ) + log sⱼ.
 */
export const simplex: Transform = {
  type: "simplex",
  unconstrainedSize: (shape) => {
    const { k, n } = vectorsOf(shape);
    return k === 0 ? 0 : (k - 1) * n;
  },
  forward: (m, z, shape) => {
    const { k, n } = vectorsOf(shape);
    if (k <= 1) return { x: m.fill(1, shape), logJac: m.constant(0) };
    const offsets = m.constant(Array.from({ length: k - 1 }, (_, j) => [Math.log(k - 1 - j)]));
    const u = m.sub(columns(m, z, k - 1, n), offsets);
    const logFrac = m.logInvLogit(u);
    const logRest = m.log1mInvLogit(u);
    const logStickAfter = m.cumsum(logRest);
    const logStick = m.sub(logStickAfter, logRest);
    const x = m.concat([m.exp(m.add(logStick, logFrac)), m.exp(m.slice(logStickAfter, k - 2))]);
    return { x: fromColumns(m, x, shape), logJac: m.sum(m.add(m.add(logFrac, logRest), logStick)) };
  },
  inverse: (x, shape) => {
    const { k, n } = vectorsOf(shape);
    const z = new Float64Array(k === 0 ? 0 : (k - 1) * n);
    for (let r = 0; r < n; r++) {
      let stick = 1;
      for (let j = 0; j < k - 1; j++) {
        const v = x[r * k + j];
        z[r * (k - 1) + j] = logit(v / stick) + Math.log(k - 1 - j);
        stick -= v;
      }
    }
    return z;
  },
};
