/**
 * Benchmark `funnel` (../shared/benchmarks/stan/funnel.stan): Neal's funnel,
 * no data.
 *
 * ```stan
 * parameters { real y; vector[9] x; }
 * model { y ~ normal(0, 3); x ~ normal(0, exp(y / 2)); }
 * ```
 * @module
 */
import { model } from "../src/dsl/model.ts";

/** The funnel has no data. */
export type FunnelData = Readonly<Record<string, never>>;

/** No data. */
export const data: FunnelData = {};

/** Neal's funnel: E[y] = 0, Var[y] = 9. d = 10. */
export default model((m, _d: FunnelData) => {
  const y = m.sample("y", m.normal(0, 3));
  const x = m.sample("x", m.normal(0, m.exp(m.div(y, 2))), { shape: [9] });
  return { y, x };
});
