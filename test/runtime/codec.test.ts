import { expect, test } from "vitest";
import { CodecError, decodeLine, decodeMessage, encodeLine, encodeMessage, LineSplitter } from "../../src/runtime/codec.ts";
import type { DrawMessage, SampleMessage, StartMessage } from "../../src/runtime/messages.ts";
import { nastyMessages, NASTY, realRun } from "./sinks/fixtures.ts";

const viaJson = (m: SampleMessage) => decodeMessage(JSON.parse(JSON.stringify(encodeMessage(m))));

test("the comparison used below tells -0 from 0 and a number from its string", () => {
  // The round-trip assertions are only as strict as toStrictEqual: make sure it can fail where it matters.
  expect(() => expect([-0]).toStrictEqual([0])).toThrow();
  expect(() => expect([Infinity]).toStrictEqual(["Infinity"])).toThrow();
  expect(() => expect({ a: 1, b: undefined }).toStrictEqual({ a: 1 })).toThrow();
  expect([NaN]).toStrictEqual([NaN]);
});

test("every message type round-trips through JSON, infinities, NaN and -0 included", () => {
  for (const m of nastyMessages()) expect(viaJson(m)).toStrictEqual(m);
  const draw = viaJson(nastyMessages()[1]) as DrawMessage;
  expect(draw.values.map((x) => Object.is(x, -0))).toEqual(NASTY.map((x) => Object.is(x, -0)));
  expect(draw.stats.energy).toBe(Infinity);
  expect(draw.stats.acceptStat).toBeNaN();
});

test("every message round-trips through structured clone and through decodeMessage of the raw message", () => {
  for (const m of nastyMessages()) {
    expect(structuredClone(m)).toStrictEqual(m);
    // A message that arrived by structured clone (numbers still non-finite) decodes too.
    expect(decodeMessage({ v: 1, ...structuredClone(m) })).toStrictEqual(m);
  }
});

test("a real run's messages round-trip through JSON and structured clone", async () => {
  const messages = await realRun();
  expect(messages.length).toBeGreaterThan(100);
  for (const m of messages) {
    expect(viaJson(m)).toStrictEqual(m);
    expect(structuredClone(m)).toStrictEqual(m);
  }
});

test("special numbers are written as strings in number positions; the rest as plain JSON", () => {
  const line = encodeLine(nastyMessages()[1]);
  expect(line.endsWith("\n")).toBe(true);
  expect(line.indexOf("\n")).toBe(line.length - 1);
  const json = JSON.parse(line);
  expect(json.v).toBe(1);
  expect(json.values).toEqual([
    "Infinity",
    "-Infinity",
    "NaN",
    "-0",
    0,
    1.5,
    -2.25e-308,
    5e-324,
    Number.MAX_VALUE,
    -Number.MAX_SAFE_INTEGER,
  ]);
  expect(json.stats.energy).toBe("Infinity");
  expect(json.stats.lp).toBe("-Infinity");
  expect(decodeLine(line)).toStrictEqual(nastyMessages()[1]);
  // A site named "NaN" is a key, not a number: it stays a string.
  const start = decodeLine(encodeLine(nastyMessages()[0])) as StartMessage;
  expect(Object.keys(start.centering)).toEqual(["theta", "NaN"]);
});

test("a draw without special numbers is encoded without copying its values", () => {
  const m: DrawMessage = { ...(nastyMessages()[2] as DrawMessage), values: [1, 2, 3] };
  expect((encodeMessage(m) as unknown as { values: number[] }).values).toBe(m.values);
});

test("unknown settings pass through; one JSON cannot keep is refused", () => {
  const start = nastyMessages()[0] as StartMessage;
  const wider = { ...start, settings: { ...start.settings, workers: 2, label: "x", nested: { a: [1, null] } } } as StartMessage;
  expect(viaJson(wider)).toStrictEqual(wider);
  // A setting named like an Object.prototype member is still just a setting.
  const proto = decodeLine(encodeLine(wider).replace('"workers":2', '"__proto__":{"polluted":true},"constructor":3')) as StartMessage;
  expect(Object.getPrototypeOf(proto.settings)).toBe(Object.prototype);
  expect(Object.keys(proto.settings)).toContain("__proto__");
  expect((proto.settings as unknown as Record<string, unknown>).constructor).toBe(3);
  const bad = { ...start, settings: { ...start.settings, budget: Infinity } } as StartMessage;
  expect(() => encodeMessage(bad)).toThrow(CodecError);
});

/** The CodecError that decoding `json` throws. */
function decodeError(json: unknown): CodecError {
  try {
    decodeMessage(json);
  } catch (e) {
    expect(e).toBeInstanceOf(CodecError);
    return e as CodecError;
  }
  throw new Error(`decoded: ${JSON.stringify(json)}`);
}

test("malformed input is refused with a CodecError naming the field", () => {
  const draw = encodeMessage(nastyMessages()[1]) as Record<string, unknown>;
  const stats = draw.stats as Record<string, unknown>;
  expect(decodeError(null).path).toBe("message");
  expect(decodeError([1]).path).toBe("message");
  expect(decodeError({ ...draw, v: 2 }).path).toBe("message.v");
  expect(decodeError({ ...draw, v: undefined }).path).toBe("message.v");
  expect(decodeError({ ...draw, type: "drew" }).path).toBe("message.type");
  expect(decodeError({ ...draw, run: undefined }).path).toBe("draw.run");
  expect(decodeError({ ...draw, chain: 0 }).path).toBe("draw.chain");
  expect(decodeError({ ...draw, iter: 1.5 }).path).toBe("draw.iter");
  expect(decodeError({ ...draw, chain: "Infinity" }).path).toBe("draw.chain");
  expect(decodeError({ ...draw, warmup: "yes" }).path).toBe("draw.warmup");
  expect(decodeError({ ...draw, values: [1, "inf"] }).path).toBe("draw.values[1]");
  expect(decodeError({ ...draw, values: [1, null] }).path).toBe("draw.values[1]");
  expect(decodeError({ ...draw, values: {} }).path).toBe("draw.values");
  expect(decodeError({ ...draw, stats: { ...stats, energy: "infinity" } }).path).toBe("draw.stats.energy");
  expect(decodeError({ ...draw, stats: { ...stats, divergent: 1 } }).path).toBe("draw.stats.divergent");
  expect(decodeError({ ...draw, extra: 1 }).path).toBe("draw.extra");
  expect(decodeError({ ...draw, toString: 1 }).path).toBe("draw.toString");
  expect(decodeError(JSON.parse('{"v":1,"type":"done","run":"r","__proto__":{}}')).path).toBe("done.__proto__");
  const start = encodeMessage(nastyMessages()[0]) as Record<string, unknown>;
  expect(decodeError({ ...start, version: 2 }).path).toBe("start.version");
  expect(decodeError({ ...start, valueLayout: [{ name: "x", shape: [-1], offset: 0, size: 1, kind: "parameter" }] }).path).toBe(
    "start.valueLayout[0].shape[0]",
  );
  expect(decodeError({ ...start, settings: { ...(start.settings as object), metric: "full" } }).path).toBe("start.settings.metric");
  expect(decodeError({ ...start, centering: { theta: "x" } }).path).toBe("start.centering.theta");
  expect(decodeError({ type: "done", v: 1 }).message).toMatch(/done\.run: expected a string, got undefined/);
});

test("encoding refuses what is not a protocol message", () => {
  expect(() => encodeMessage({ type: "bogus" } as unknown as SampleMessage)).toThrow(CodecError);
  expect(() => encodeMessage({ type: "done", run: 3 } as unknown as SampleMessage)).not.toThrow(); // the encoder trusts types; the decoder checks
  expect(() => decodeLine(encodeLine({ type: "done", run: 3 } as unknown as SampleMessage))).toThrow(CodecError);
});

test("a line that is not JSON is a CodecError", () => {
  expect(() => decodeLine('{"v":1,"type":"done","run":"r"')).toThrow(CodecError);
  expect(() => decodeLine("Infinity")).toThrow(/not JSON/);
  expect(() => decodeLine("42")).toThrow(/expected an object/);
});

test("the line splitter joins lines cut anywhere by the transport", () => {
  const lines = nastyMessages().map(encodeLine).join("") + "\n\n";
  for (const cut of [1, 3, 17, 1000]) {
    const s = new LineSplitter();
    const got: SampleMessage[] = [];
    for (let i = 0; i < lines.length; i += cut) got.push(...s.push(lines.slice(i, i + cut)).map(decodeLine));
    expect(s.end()).toBeUndefined();
    expect(got).toStrictEqual(nastyMessages());
  }
  const s = new LineSplitter();
  expect(s.push('{"v":1,"type":"done",')).toEqual([]);
  expect(s.push('"run":"r"}')).toEqual([]);
  expect(decodeLine(s.end()!)).toStrictEqual({ type: "done", run: "r" });
});

test("a method's start (method, settings with special numbers) round-trips; a wrong method is refused", () => {
  const start = nastyMessages()[0] as StartMessage;
  const method: StartMessage = {
    ...start,
    method: "smc",
    methodSettings: { particles: 1000, essThreshold: 0.5, tol: -Infinity, backend: "onnx" },
  };
  expect(viaJson(method)).toStrictEqual(method);
  expect(() => decodeLine(encodeLine(method).replace('"method":"smc"', '"method":"nuts"'))).toThrow(CodecError);
  // In a method's settings or result, a string spelled like a special number reads back as that number (documented).
  expect((viaJson({ ...method, methodSettings: { label: "NaN" } }) as StartMessage).methodSettings?.label).toBeNaN();
});
