/**
 * Frames, the messages of a chain on the wire: a batch of draws and other
 * items comes back as the very messages that went in (every number's bits,
 * −0 and NaN included), and bytes that are not a frame are refused with a
 * FrameError rather than read as draws.
 */
import { describe, expect, it } from "vitest";
import { decodeFrame, encodeFrame, FrameError } from "../../../src/runtime/cluster/frames.ts";
import type { SampleMessage } from "../../../src/runtime/messages.ts";
import { BatchBuilder, type CheckpointItem, unpackBatch } from "../../../src/runtime/workers/protocol.ts";
import type { ChainCheckpoint } from "../../../src/inference/chain.ts";

const stats = { lp: -3.5, acceptStat: 0.9, stepSize: 0.25, treeDepth: 3, nLeapfrog: 7, divergent: false, energy: 4.5, recovered: 0 };
const draw = (iter: number, values: number[]): SampleMessage => ({
  type: "draw",
  run: "r",
  chain: 2,
  iter,
  warmup: iter <= 2,
  values,
  stats: stats as never,
});

describe("frames", () => {
  it("carry draws and other items back bit for bit, in order", () => {
    const checkpoint = {
      type: "checkpoint",
      chain: 2,
      checkpoint: { version: 1, iter: 2, theta: [-0, NaN, Infinity] } as unknown as ChainCheckpoint,
    };
    const items: (SampleMessage | CheckpointItem)[] = [
      draw(1, [1.5, -0]),
      draw(2, [NaN, -Infinity]),
      { type: "adapted", run: "r", chain: 2, stepSize: 0.1, invMetric: [1, 2] },
      checkpoint as CheckpointItem,
      draw(3, [Number.MIN_VALUE, 1e308]),
      { type: "chainDone", run: "r", chain: 2, elapsed: { warmup: 1, sampling: 2 } },
    ];
    const b = new BatchBuilder(2, 1);
    for (const item of items) b.add(item);
    const back = unpackBatch(decodeFrame(encodeFrame(b.take())), "r", 2);
    const bits = (x: unknown) =>
      JSON.stringify(x, (_k, v: unknown) => (typeof v === "number" ? `${Object.is(v, -0) ? "-0" : String(v)}` : v));
    expect(bits(back)).toBe(bits(items));
  });

  it("refuse bytes that are not a frame", () => {
    const good = (() => {
      const b = new BatchBuilder(1, 1);
      b.add(draw(1, [1]));
      return encodeFrame(b.take());
    })();
    const header = (h: object) => {
      const text = new TextEncoder().encode(JSON.stringify(h));
      const bytes = new Uint8Array(Math.ceil((4 + text.length) / 8) * 8);
      new DataView(bytes.buffer).setUint32(0, text.length, true);
      bytes.set(text, 4);
      return bytes;
    };
    for (const [bytes, why] of [
      [new Uint8Array(2), /shorter than its header length/],
      [good.subarray(0, good.length - 3), /not a whole number of draws/],
      [header({ v: 2, width: 1, others: [] }), /version 2/],
      [header({ v: 1, width: 0, others: [] }), /width/],
      [header({ v: 1, width: 10, others: {} }), /not a list/],
      [
        header({
          v: 1,
          width: 10,
          others: [
            { at: 1, item: {} },
            { at: 0, item: {} },
          ],
        }),
        /out of order/,
      ],
    ] as const) {
      expect(() => decodeFrame(bytes)).toThrow(FrameError);
      expect(() => decodeFrame(bytes)).toThrow(why);
    }
  });
});
