/**
 * Helpers of the runtime tests: collecting a stream and comparing runs.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "vitest";
import type { SampleMessage } from "../../src/runtime/messages.ts";

/** The messages of a stream of batches, one by one. */
export async function* flat<T>(batches: AsyncIterable<readonly T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}

/** Every message of a stream. */
export async function collect(stream: AsyncIterable<SampleMessage>): Promise<SampleMessage[]> {
  const out: SampleMessage[] = [];
  for await (const m of stream) out.push(m);
  return out;
}

/**
 * A run's messages per chain, in the order they came, without what may
 * differ between equal runs (the run id, elapsed times).
 */
export function byChain(msgs: readonly SampleMessage[]): Map<number, unknown[]> {
  const out = new Map<number, unknown[]>();
  for (const m of msgs) {
    if (!("chain" in m) || m.chain === undefined) continue;
    const { run: _run, ...rest } = m;
    const kept = m.type === "chainDone" ? { type: m.type, chain: m.chain } : rest;
    out.set(m.chain, [...(out.get(m.chain) ?? []), kept]);
  }
  return out;
}

/**
 * Checks the stream's shape: `start` first and `done` last, each chain's
 * draws in iteration order with every streamed iteration exactly once, and
 * warm-up flagged.
 */
export function expectWellFormed(msgs: readonly SampleMessage[], chains: number, warmup: number, draws: number): void {
  expect(msgs[0].type).toBe("start");
  expect(msgs.at(-1)!.type).toBe("done");
  for (let k = 1; k <= chains; k++) {
    const iters = msgs.filter((m) => m.type === "draw" && m.chain === k).map((m) => (m.type === "draw" ? [m.iter, m.warmup] : []));
    expect(iters).toEqual(Array.from({ length: warmup + draws }, (_, i) => [i + 1, i < warmup]));
    expect(msgs.filter((m) => m.type === "chainDone" && m.chain === k)).toHaveLength(1);
    expect(msgs.filter((m) => m.type === "adapted" && m.chain === k)).toHaveLength(1);
  }
}

/** Waits until `done()` holds (polling every 5 ms), failing after 10 s. */
export async function until(done: () => boolean, what: string): Promise<void> {
  const limit = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > limit) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}
