/**
 * Messages for the sink and codec tests: one of each type with every number
 * JSON cannot write (nasty.ts), and the messages of a short real run.
 */
import { benchmarks } from "../../../examples/index.ts";
import type { SampleMessage } from "../../../src/runtime/messages.ts";
import { sampleStream, type StreamOptions } from "../../../src/fit/sampleStream.ts";

export { NASTY, nastyMessages } from "./nasty.ts";

const cache = new Map<string, Promise<SampleMessage[]>>();

/** Every message of a short run of eight schools (memoized per options). */
export function realRun(opts: StreamOptions = {}): Promise<SampleMessage[]> {
  const options: StreamOptions = { chains: 3, warmup: 30, draws: 20, seed: 7, ...opts };
  const key = JSON.stringify(options);
  let p = cache.get(key);
  if (p === undefined) {
    const { model, data } = benchmarks.eight_schools;
    p = collect(sampleStream(model, data, options));
    cache.set(key, p);
  }
  return p;
}

/** An async iterable of `messages`, as a run would yield them. */
export async function* replay(messages: readonly SampleMessage[]): AsyncGenerator<SampleMessage> {
  for (const m of messages) yield m;
}

/** Every item of an async iterable (Array.fromAsync is Node 22). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}
