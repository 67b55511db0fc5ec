/**
 * Lockstep chains on the JavaScript backend, from a model: the model is
 * compiled (with the automatic reparameterization that `sample` uses) and
 * served as a batch density that loops over the chains.
 * @module
 */
import { batchOf } from "../../codegen/batch.ts";
import { compile } from "../../compile.ts";
import type { Model, Outputs } from "../../dsl/model.ts";
import { Fit } from "../fit.ts";
import { resolveOptions } from "../options.ts";
import { chooseCentering } from "../reparam/choose.ts";
import { type LockstepOptions, sampleLockstepDensity } from "./run.ts";

/** Options of {@link sampleLockstepJs}. */
export interface LockstepJsOptions extends Omit<LockstepOptions, "init"> {
  /** Automatic reparameterization of location-scale sites, chosen by `sample`'s NUTS pilot (true). */
  readonly reparam?: boolean;
}

/**
 * Samples a model's posterior with lockstep chains on the JavaScript backend.
 *
 * @example
 * ```ts
 * const fit = await sampleLockstepJs(eightSchools, data, { chains: 256, warmup: 500, draws: 250, seed: 1 });
 * fit.draws.tau;
 * ```
 */
export async function sampleLockstepJs<D, O extends Outputs>(mdl: Model<D, O>, data: D, opts: LockstepJsOptions = {}): Promise<Fit<D, O>> {
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const reparam = opts.reparam ?? true;
  // The pilot is NUTS with sample()'s defaults, on random stream 0, which no lockstep chain uses.
  const density = reparam ? chooseCentering(mdl, data, resolveOptions({ seed })).density : compile(mdl, data);
  const fit = await sampleLockstepDensity(batchOf(density), density, { ...opts, seed });
  return new Fit(fit.valueLayout, { ...fit.settings, reparam }, fit.chains, { model: mdl, data });
}
