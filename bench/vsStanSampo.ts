/**
 * One timed sampo run for `npm run bench -- --vs stan`: `sample()` as it is
 * (its stream read into a Fit), with CPU time measured beside sampo's own
 * wall-clock timer, because Stan 2.21 times itself with `clock()`, which is
 * CPU time: on a loaded machine wall time and CPU time part ways.
 * @module
 */
import type { Model, Outputs } from "../src/dsl/model.ts";
import { DrawCollector } from "../src/runtime/collect.ts";
import type { ChainDraws } from "../src/inference/draws.ts";
import type { SampleOptions } from "../src/inference/options.ts";
import { sampleBatches } from "../src/fit/sampleStream.ts";
import type { ValueLayout } from "../src/tensor/layout.ts";

/** A sampo run (what a Fit holds of it) and its timings, all in seconds. */
export interface TimedSampoRun {
  /** The layout of the reported values, as `fit.valueLayout`. */
  readonly valueLayout: ValueLayout;
  /** The chain's draws, as `fit.chains[0]`. */
  readonly chain: ChainDraws;
  /** Warm-up + sampling as sampo reports it (`fit.chains[0].elapsed`, wall clock). */
  readonly wall: number;
  /** Process CPU time (user + system, all threads: JIT and GC included) over the same span. */
  readonly cpu: number;
  /** Wall time of the whole call, compiling the model and the reparameterization's pilot warm-up included. */
  readonly call: number;
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/**
 * Samples one chain exactly as `sample()` does (it is `sampleBatches` read
 * into a {@link DrawCollector}; the Fit it then wraps around the draws is not
 * needed here), noting the CPU clock when the stream's
 * `start` message arrives (the model is compiled and the pilot done) and
 * when the chain's `chainDone` does: that is the span sampo's own `elapsed`
 * covers, message handling included.
 */
export async function timedSample(model: Model<unknown, Outputs>, data: unknown, opts: SampleOptions): Promise<TimedSampoRun> {
  if (opts.chains !== 1) throw new Error("timedSample: one chain only (the CPU span is the chain's)");
  const called = performance.now();
  const collector = new DrawCollector();
  let cpuStart = NaN;
  let cpu = NaN;
  for await (const batch of sampleBatches(model, data, opts)) {
    for (const msg of batch) {
      if (msg.type === "start") cpuStart = cpuNow();
      else if (msg.type === "chainDone") cpu = cpuNow() - cpuStart;
      collector.add(msg);
    }
  }
  const { start, chains } = collector.result();
  const elapsed = chains[0].elapsed;
  if (elapsed === undefined) throw new Error("timedSample: sampo reported no elapsed time");
  return {
    valueLayout: start.valueLayout,
    chain: chains[0],
    wall: elapsed.warmup + elapsed.sampling,
    cpu,
    call: (performance.now() - called) / 1000,
  };
}
