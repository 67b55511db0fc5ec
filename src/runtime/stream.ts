/**
 * `sampleStream`: a run as a stream of draw messages. Chains run one after
 * another in this process; each chain's draws depend only on the seed and
 * its number.
 * @module
 */
import { randomUUID } from "node:crypto";
import { compile } from "../compile.ts";
import type { Model, Outputs } from "../dsl/model.ts";
import { resolveOptions, type SampleOptions } from "../inference/options.ts";
import { chooseCentering } from "../inference/reparam/choose.ts";
import { reparameterize } from "../inference/reparam/wrap.ts";
import { chainMessages } from "./chainRunner.ts";
import { dataHash, modelHash } from "./hash.ts";
import { PROTOCOL_VERSION, type SampleMessage } from "./messages.ts";

/**
 * Samples a model's posterior with NUTS, as a stream of messages: `start`,
 * then per chain its `draw`s (warm-up flagged), `adapted` and `chainDone`,
 * and `done` last (or `error`).
 *
 * @example
 * ```ts
 * for await (const msg of sampleStream(eightSchools, data, { chains: 4, seed: 1 })) {
 *   if (msg.type === "draw") console.log(msg.chain, msg.iter, msg.values);
 * }
 * ```
 */
export async function* sampleStream<D, O extends Outputs>(mdl: Model<D, O>, data: D, opts: SampleOptions = {}): AsyncGenerator<SampleMessage> {
  const resolved = resolveOptions(opts);
  // Initial values are given for the model as written; they fix its parameterization.
  const plan = resolved.reparam && resolved.init === undefined ? chooseCentering(mdl, data, resolved) : new Map<string, Float64Array>();
  const density = compile(plan.size > 0 ? reparameterize(mdl, plan) : mdl, data);
  const plain = density.toPlain();
  const run = randomUUID();
  const { init: _init, ...settings } = resolved;
  yield {
    type: "start", version: PROTOCOL_VERSION, run, valueLayout: density.valueLayout, layout: density.layout,
    settings, modelHash: modelHash(plain), dataHash: dataHash(plain),
    centering: Object.fromEntries([...plan].map(([name, lambda]) => [name, Array.from(lambda)])),
  };
  for (let k = 1; k <= resolved.chains; k++) {
    try {
      yield* chainMessages({ density, opts: resolved, run, chain: k });
    } catch (e) {
      yield { type: "error", run, chain: k, message: e instanceof Error ? e.message : String(e) };
      return;
    }
  }
  yield { type: "done", run };
}
