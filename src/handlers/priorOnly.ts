/**
 * The prior of a model: the same latent sites with the likelihood removed.
 * @module
 */
import { type Model, type Outputs, withHandler } from "../dsl/model.ts";

/**
 * The model without its likelihood: observed sites and `factor` terms are
 * dropped (a factor is taken to be part of the likelihood), every latent
 * site, data site and deterministic stays, so the compiled prior has the
 * same θ layout as the model. What SMC tempers from.
 *
 * @example
 * ```ts
 * const prior = compile(priorOnly(eightSchools), data); // log p(μ, τ, θ) + log-Jacobian, no y
 * prior.layout; // the same as compile(eightSchools, data).layout
 * ```
 */
export function priorOnly<D, O extends Outputs>(model: Model<D, O>): Model<D, O> {
  return withHandler(model, (next) => ({
    sample: (site) => next.sample(site),
    observe: () => {},
    data: (name, values, shape) => next.data(name, values, shape),
    deterministic: (name, value) => next.deterministic(name, value),
    factor: () => {},
  }));
}
