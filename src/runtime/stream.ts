/**
 * `sampleStream`: a run as a stream of draw messages. Chains run one after
 * another in this process; each chain's draws depend only on the seed and
 * its number.
 * @module
 */
import { randomUUID } from "node:crypto";
import { compile } from "../compile.ts";
import type { CompiledDensity } from "../codegen/density.ts";
import type { Model, Outputs } from "../dsl/model.ts";
import { Chain } from "../inference/chain.ts";
import { chainSettings, type ResolvedSampleOptions, resolveOptions, type SampleOptions } from "../inference/options.ts";
import { chooseCentering } from "../inference/reparam/choose.ts";
import { reparameterize } from "../inference/reparam/wrap.ts";
import { dataHash, modelHash } from "./hash.ts";
import { PROTOCOL_VERSION, type SampleMessage } from "./messages.ts";

/** Whether iteration `iter` (1-based) is streamed: every `thin`-th of warm-up and of sampling. */
function isStreamed(iter: number, opts: ResolvedSampleOptions): boolean {
  return iter <= opts.warmup ? (iter - 1) % opts.thin === 0 : (iter - opts.warmup - 1) % opts.thin === 0;
}

/** The messages of one chain. */
function* chainMessages(density: CompiledDensity, opts: ResolvedSampleOptions, run: string, k: number): Generator<SampleMessage> {
  const started = performance.now();
  let warmupEnd = started;
  const chain = new Chain(density, chainSettings(density, opts, k));
  if (opts.warmup === 0) yield { type: "adapted", run, chain: k, ...chain.adaptation() };
  const values = new Float64Array(density.valueSize);
  for (let t = chain.next(); t !== undefined; t = chain.next()) {
    if (isStreamed(t.iter, opts)) {
      density.constrain(t.theta, values);
      yield { type: "draw", run, chain: k, iter: t.iter, warmup: t.warmup, values: Array.from(values), stats: t.stats };
    }
    if (t.iter === opts.warmup) {
      warmupEnd = performance.now();
      yield { type: "adapted", run, chain: k, ...chain.adaptation() };
    }
  }
  const ended = performance.now();
  yield { type: "chainDone", run, chain: k, elapsed: { warmup: (warmupEnd - started) / 1000, sampling: (ended - warmupEnd) / 1000 } };
}

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
      yield* chainMessages(density, resolved, run, k);
    } catch (e) {
      yield { type: "error", run, chain: k, message: e instanceof Error ? e.message : String(e) };
      return;
    }
  }
  yield { type: "done", run };
}
