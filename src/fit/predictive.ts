/**
 * Posterior predictive draws: the prior interpreter run with the latent
 * sites fixed at each posterior draw, so observed sites are drawn from
 * their families at those values.
 * @module
 */
import type { Model, Outputs } from "../dsl/model.ts";
import { priorSample } from "../interpreters/prior.ts";

/** One draw of every observed site per entry of `values` (constrained latent values by site name). */
export function posteriorPredictive<D, O extends Outputs>(
  mdl: Model<D, O>,
  data: D,
  values: readonly Readonly<Record<string, ArrayLike<number>>>[],
  seed: number,
): Record<string, Float64Array[]> {
  if (values.length === 0) return {};
  const run = priorSample(mdl, data, { given: values, seed });
  return Object.fromEntries(
    Object.entries(run.sites)
      .filter(([, site]) => site.kind === "observed")
      .map(([name, site]) => [name, site.values]),
  );
}
