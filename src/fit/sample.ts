/**
 * `sample`: the stream of a run collected into a {@link Fit}. There is one
 * code path: `sample()` is `sampleStream()` read to the end (in its batches).
 * @module
 */
import type { Model, Outputs } from "../dsl/model.ts";
import { sampleBatches } from "./sampleStream.ts";
import { DrawCollector } from "../runtime/collect.ts";
import { Fit } from "./fit.ts";
import type { StreamOptions } from "./sampleStream.ts";

/**
 * Samples a model's posterior with NUTS.
 *
 * @example
 * ```ts
 * const fit = await sample(eightSchools, data, { chains: 4, draws: 1000, warmup: 1000, seed: 1 });
 * fit.draws.theta;                 // number[][]: one array per kept draw, chains concatenated
 * console.log(fit.summaryTable());
 * ```
 */
export async function sample<D, O extends Outputs>(mdl: Model<D, O>, data: D, opts: StreamOptions = {}): Promise<Fit<D, O>> {
  const collector = new DrawCollector();
  for await (const batch of sampleBatches(mdl, data, opts)) for (const msg of batch) collector.add(msg);
  const { start, chains } = collector.result();
  return new Fit(start.valueLayout, start.settings, chains, { model: mdl, data });
}
