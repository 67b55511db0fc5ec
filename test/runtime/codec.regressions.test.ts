/**
 * Named regressions of the message properties (messages.properties.ts):
 * each input the fuzzer (or its deep-nesting generator) found, shrunk, and
 * the typed error it now gets.
 */
import { expect, test } from "vitest";
import { decodeFrame, encodeFrame, FrameError } from "../../src/runtime/cluster/frames.ts";
import { checkMessage, CodecError, decodeLine, encodeMessage } from "../../src/runtime/codec.ts";
import type { DrawMessage, SampleMessage, StartMessage } from "../../src/runtime/messages.ts";
import { BatchBuilder } from "../../src/runtime/workers/protocol.ts";
import { nastyMessages } from "./sinks/nasty.ts";
import { thrown } from "../helpers/thrown.ts";

/** The CodecError `f` throws. */
const codecError = (f: () => unknown): CodecError => thrown(f, CodecError);

/** `depth` arrays, one inside the other (built without recursion). */
function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

test("a result whose info nests 200,000 arrays deep is a CodecError, not a stack overflow", () => {
  const deep = "[".repeat(200_000) + "]".repeat(200_000);
  const e = codecError(() => decodeLine(`{"v":1,"type":"result","run":"r","method":"smc","info":{"a":${deep}},"warnings":[]}`));
  expect(e.problem).toBe("nested deeper than 64 levels");
  expect(e.path.startsWith("result.info.a[0][0]")).toBe(true);
});

test("an unknown setting nesting 100,000 levels deep, by structured clone, is a CodecError, not a stack overflow", () => {
  const start = nastyMessages()[0] as StartMessage;
  const deep = { ...start, settings: { ...start.settings, extra: nested(100_000) } };
  expect(codecError(() => checkMessage(deep)).problem).toBe("nested deeper than 64 levels");
});

test("a start whose valueLayout lost its element 1 (a sparse array, as structured clone keeps it) is refused, not decoded with a hole", () => {
  // Shrunk: the nasty start message with ["delete", 165963113, "", {}]: `delete valueLayout[1]`.
  const start = structuredClone(nastyMessages()[0]) as unknown as { valueLayout: unknown[] };
  delete start.valueLayout[1];
  const e = codecError(() => checkMessage(start));
  expect(e.message).toBe("start.valueLayout[1]: expected an object, got undefined");
  const info = { ...(nastyMessages()[9] as SampleMessage & { info: object }), info: { paths: [1, , 3] } };
  expect(codecError(() => checkMessage(info)).path).toBe("result.info.paths[1]");
});

test("an encoded message decodes the same as before the fixes (the hot path is unchanged)", () => {
  for (const m of nastyMessages()) expect(checkMessage(structuredClone(encodeMessage(m)))).toStrictEqual(m);
});

test("a frame whose packed draw has a fractional iteration or a divergent flag of 2 is a FrameError", () => {
  const b = new BatchBuilder(1, 1);
  b.add({ ...(nastyMessages()[2] as DrawMessage), chain: 1, iter: 1, values: [0.5] });
  const bytes = encodeFrame(b.take());
  const drawAt = bytes.length - 8 * 11; // one draw: iteration, warm-up flag, 8 statistics, 1 value
  for (const [offset, value] of [
    [0, 1.5],
    [2 + 5, 2], // divergent
  ]) {
    const bad = bytes.slice();
    new DataView(bad.buffer).setFloat64(drawAt + 8 * offset, value, true);
    expect(() => decodeFrame(bad)).toThrow(FrameError);
    expect(() => decodeFrame(bad)).toThrow(/frame draw 1: its iteration, warm-up flag or statistics/);
  }
  expect(decodeFrame(bytes).draws.length).toBe(11);
});
