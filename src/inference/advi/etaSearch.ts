/**
 * Stan's heuristic search for the step-size scale eta (`adapt_eta` in
 * advi.hpp): from the initial approximation, run `adaptIterations` steps of
 * stochastic gradient ascent with each eta of {100, 10, 1, 0.1, 0.01} in
 * turn and stop at the first eta whose ELBO is worse than the previous
 * one's, keeping that previous one, provided it beat the initial ELBO.
 * @module
 */
import { type AdviContext, ILL_CONDITIONED } from "./context.ts";
import { stepSizeInit, stepSizeUpdate } from "./stepSize.ts";

/** The etas Stan tries, largest first. */
export const ETA_SEQUENCE: readonly number[] = [100, 10, 1, 0.1, 0.01];

/**
 * The eta to run with, found from the approximation `initial` (not
 * mutated). Throws an `AdviError` when the initial ELBO cannot be computed
 * or every eta ends below it.
 */
export async function searchEta(ctx: AdviContext, initial: Float64Array, adaptIterations: number): Promise<number> {
  const { family, mc, best } = ctx;
  const elboInit = (await mc.elbo(initial, ctx.elboSamples)).elbo;
  if (!Number.isFinite(elboInit)) {
    throw best.error(`Cannot compute ELBO using the initial variational distribution. ${ILL_CONDITIONED}`);
  }
  best.offer(initial, elboInit);
  const grad = new Float64Array(family.size);
  let elboBest = Number.NEGATIVE_INFINITY;
  let etaBest = 0;
  for (const [index, eta] of ETA_SEQUENCE.entries()) {
    const params = initial.slice();
    const steps = stepSizeInit(family.size);
    for (let t = 1; t <= adaptIterations; t++) {
      // A failed gradient is a zero step, as in Stan: a smaller eta comes next.
      await mc.gradient(params, ctx.gradSamples, grad);
      stepSizeUpdate(steps, params, grad, eta);
      if (!params.every(Number.isFinite)) break;
      await ctx.pacer.tick();
    }
    // A failed or diverged ELBO counts as the worst, as Stan's −DBL_MAX.
    const raw = params.every(Number.isFinite) ? (await mc.elbo(params, ctx.elboSamples)).elbo : Number.NaN;
    const elbo = Number.isFinite(raw) ? raw : Number.NEGATIVE_INFINITY;
    best.offer(params, elbo);
    ctx.onProgress?.({
      phase: "eta",
      iter: (index + 1) * adaptIterations,
      total: ETA_SEQUENCE.length * adaptIterations,
      metrics: { eta, elbo },
    });
    if (elbo < elboBest && elboBest > elboInit) return etaBest;
    if (index < ETA_SEQUENCE.length - 1) {
      elboBest = elbo;
      etaBest = eta;
    } else if (elbo > elboInit) {
      return eta;
    }
  }
  throw best.error(`All proposed step-sizes failed. ${ILL_CONDITIONED}`);
}
