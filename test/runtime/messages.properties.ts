/**
 * Messages (issue #16): generated messages of every kind, and mutations of
 * their encodings — fields deleted, duplicated, of the wrong type, huge or
 * fractional numbers, deep nesting, unknown keys like `__proto__`; bytes
 * flipped, cut, spliced, repeated, invalid UTF-8 — into the decoder, the
 * cluster's frame decoder and every source (NDJSON over a Node stream,
 * MessagePort). Each either gives back the message (unmutated: the very
 * message; mutated: a valid protocol message, which re-encodes to itself)
 * or refuses it with its typed error (CodecError, FrameError); nothing else
 * is thrown. A source skips a bad message, reports it with its line, and
 * delivers every good message around it, in order.
 *
 * Everything runs at the layer where it lives: the codec on values, the
 * sources on in-memory streams and a fake port, no sampling.
 */
import { Readable } from "node:stream";
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { decodeFrame, encodeFrame, FrameError } from "../../src/runtime/cluster/frames.ts";
import { checkMessage, CodecError, decodeLine, decodeMessage, encodeLine, encodeMessage } from "../../src/runtime/codec.ts";
import type { DrawMessage, SampleMessage } from "../../src/runtime/messages.ts";
import { messagePortSource, nodeStreamSource, type PortLike } from "../../src/runtime/sinks/index.ts";
import { BatchBuilder, type CheckpointItem, postable, received, unpackBatch } from "../../src/runtime/workers/protocol.ts";
import { propertyParameters } from "../helpers/property.ts";
import { nastyMessages } from "./sinks/nasty.ts";

// ---------------------------------------------------------------------------
// Valid messages

const number = fc.oneof(fc.double(), fc.constantFrom(Infinity, -Infinity, NaN, -0, 0, 5e-324, Number.MAX_VALUE));
const text = fc.string({ unit: "grapheme", maxLength: 8 });
const count = (min: number) => fc.integer({ min, max: 2 ** 31 });

// Plain objects, as a run makes them (fast-check also makes null-prototype ones, which the decoder returns as plain objects).
const plain = { noNullPrototype: true } as const;

const stats = fc.record(
  {
    lp: number,
    acceptStat: number,
    stepSize: number,
    treeDepth: count(0),
    nLeapfrog: count(0),
    divergent: fc.boolean(),
    energy: number,
    recovered: count(0),
  },
  plain,
);

const draw: fc.Arbitrary<DrawMessage> = fc.record(
  {
    type: fc.constant("draw" as const),
    run: text,
    chain: count(1),
    iter: count(1),
    warmup: fc.boolean(),
    values: fc.array(number, { maxLength: 6 }),
    stats,
    columns: fc.dictionary(text, number, { maxKeys: 3, ...plain }),
    csvRow: fc.string(),
  },
  { requiredKeys: ["type", "run", "chain", "iter", "warmup", "values", "stats"], ...plain },
);

/** A message of any kind: generated draws, progress, errors and ends, and one of each kind with every special number. */
export const message: fc.Arbitrary<SampleMessage> = fc.oneof(
  draw,
  fc.record(
    {
      type: fc.constant("progress" as const),
      run: text,
      phase: text,
      iter: count(0),
      metrics: fc.dictionary(text, number, { maxKeys: 3, ...plain }),
    },
    plain,
  ),
  fc.record(
    { type: fc.constant("error" as const), run: text, chain: count(1), message: fc.string() },
    { requiredKeys: ["type", "run", "message"], ...plain },
  ),
  fc.record({ type: fc.constant("done" as const), run: text }, plain),
  fc.constantFrom(...nastyMessages()),
);

// ---------------------------------------------------------------------------
// Mutations

/** JSON values of the wrong kind wherever they go, numbers at the edges and deep nesting included. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, "", "NaN", "-0", "Infinity", "infinity", -1, 0, 1.5, 1e308, -1e308, 2 ** 53, 1e21, [], {}, [[]], "x"),
  fc.jsonValue({ maxDepth: 3 }),
  // Up to 1000 levels: deeper still is a regression test (codec.regressions.test.ts); fast-check prints a counterexample recursively.
  fc.integer({ min: 1, max: 1000 }).map((depth) => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v };
    return v;
  }),
);

/** Keys an attacker would try, and the message's own keys. */
const key = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "toString", "v", "type", "run", "chain", "iter", "values", "stats", "lp"),
  text,
);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A structural mutation of an encoded message: a field deleted, replaced, added, or one value swapped for another. */
const structural = fc.tuple(fc.constantFrom("delete", "set", "add", "swap"), fc.nat(), key, wrongValue);

/** Applies a structural mutation at the `pick`-th container of `json` (a deep copy is changed). */
function mutate(json: Json, [kind, pick, k, value]: [string, number, string, unknown]): unknown {
  const copy = JSON.parse(JSON.stringify(json)) as Json;
  const containers: (Json[] | { [k: string]: Json })[] = [];
  const walk = (x: Json) => {
    if (x !== null && typeof x === "object") {
      containers.push(x);
      for (const v of Object.values(x)) walk(v);
    }
  };
  walk(copy);
  const target = containers[pick % containers.length];
  const keys = Object.keys(target);
  const existing = keys.length > 0 ? keys[pick % keys.length] : k;
  const set = (o: object, name: string, v: unknown) =>
    Object.defineProperty(o, name, { value: v, enumerable: true, writable: true, configurable: true });
  if (kind === "delete") delete (target as Record<string, Json>)[existing];
  else if (kind === "set") set(target, existing, value);
  else if (kind === "add") set(target, k, value);
  else if (keys.length > 1) {
    const other = keys[(pick + 1) % keys.length];
    const t = target as Record<string, Json>;
    [t[existing], t[other]] = [t[other], t[existing]];
  }
  return copy;
}

/** A byte mutation: flip, cut, repeat a range, delete a range, insert bytes (invalid UTF-8 among them). */
const bytesMutation = fc.tuple(
  fc.constantFrom("flip", "truncate", "duplicate", "delete", "insert", "invalid"),
  fc.nat(),
  fc.nat(),
  fc.uint8Array({ minLength: 1, maxLength: 8 }),
);

function mutateBytes(b: Uint8Array, [kind, i, j, insert]: [string, number, number, Uint8Array]): Uint8Array {
  const at = b.length === 0 ? 0 : i % b.length;
  const to = Math.min(b.length, at + 1 + (j % 16));
  const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
  switch (kind) {
    case "flip": {
      const c = b.slice();
      if (c.length > 0) c[at] ^= 1 << (j % 8);
      return c;
    }
    case "truncate":
      return b.subarray(0, at);
    case "duplicate":
      return cat(b.subarray(0, to), b.subarray(at, to), b.subarray(to));
    case "delete":
      return cat(b.subarray(0, at), b.subarray(to));
    case "insert":
      return cat(b.subarray(0, at), insert, b.subarray(at));
    default: // bytes no UTF-8 text holds: a lone continuation byte, an overlong form, a surrogate
      return cat(b.subarray(0, at), Uint8Array.of([0x80, 0xc0, 0xed, 0xff][j % 4], 0xa0, 0x80), b.subarray(at));
  }
}

// ---------------------------------------------------------------------------
// Outcomes

/**
 * Asserts two lists of messages are the same, number for number: compared as
 * their NDJSON lines, which write every number exactly (toStrictEqual would
 * take an own key `constructor` for the object's type, and NaN ≠ NaN).
 */
function expectSame(got: readonly SampleMessage[], want: readonly SampleMessage[]): void {
  expect(got.map((m) => encodeLine(m))).toEqual(want.map((m) => encodeLine(m)));
}

/** Asserts what decoding gave: a CodecError, or a valid message that encodes and decodes to itself. */
function expectMessageOrCodecError(decode: () => SampleMessage): void {
  let m: SampleMessage;
  try {
    m = decode();
  } catch (e) {
    if (e instanceof CodecError) return;
    throw new Error(`not a CodecError: ${String(e)}`, { cause: e });
  }
  expectSame([decodeLine(encodeLine(m))], [m]);
}

const utf8 = new TextEncoder();
const strict = new TextDecoder("utf-8", { fatal: true });
const NEWLINE = 0x0a;

/** What the NDJSON source must make of one line: the message, a report, or nothing (a blank line). */
function expectedOfLine(bytes: Uint8Array): SampleMessage | "bad" | undefined {
  try {
    const line = strict.decode(bytes);
    return line.trim() === "" ? undefined : decodeLine(line);
  } catch {
    return "bad";
  }
}

/** A port whose traffic the test posts by hand (the source listens to "message", "close" and "exit"). */
function fakePort(): PortLike & { emit(value: unknown): void; posted: unknown[] } {
  const listeners = new Map<string, Set<(v: unknown) => void>>();
  const posted: unknown[] = [];
  return {
    posted,
    postMessage: (v) => void posted.push(v),
    on(event, f) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(f);
      return this;
    },
    off(event, f) {
      listeners.get(event)?.delete(f);
      return this;
    },
    emit(v) {
      for (const f of listeners.get("message") ?? []) f(v);
    },
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}

/** Registers the message properties with `runs` cases each. */
export function defineMessageProperties(runs: number): void {
  const params = propertyParameters(runs);

  test.prop([message], params)("every message round-trips through NDJSON and through structured clone", (m) => {
    expectSame([decodeLine(encodeLine(m)), checkMessage(structuredClone(m))], [m, m]);
  });

  test.prop([message, fc.array(structural, { minLength: 1, maxLength: 3 })], params)(
    "a structurally mutated message decodes to a valid message or is a CodecError",
    (m, mutations) => {
      let json = encodeMessage(m) as unknown as Json;
      for (const mu of mutations) json = mutate(json, mu) as Json;
      expectMessageOrCodecError(() => decodeMessage(json));
      // The same mutation of a message that came by structured clone (no version stamp).
      const { v: _v, ...raw } = json as { v?: unknown };
      expectMessageOrCodecError(() => checkMessage(raw));
    },
  );

  test.prop([message, fc.array(bytesMutation, { minLength: 1, maxLength: 3 })], params)(
    "a line with bytes flipped, cut, repeated or not UTF-8 decodes to a valid message or is a CodecError",
    (m, mutations) => {
      let bytes: Uint8Array = utf8.encode(encodeLine(m));
      for (const mu of mutations) bytes = mutateBytes(bytes, mu);
      expectMessageOrCodecError(() => decodeLine(new TextDecoder().decode(bytes)));
    },
  );

  test.prop(
    [
      fc.array(fc.tuple(message, fc.array(bytesMutation, { maxLength: 2 })), { minLength: 1, maxLength: 6 }),
      fc.array(fc.integer({ min: 1, max: 512 }), { minLength: 1, maxLength: 8 }),
    ],
    params,
  )(
    "the NDJSON source delivers every good line in order and reports each bad one by its line number, wherever the chunks cut",
    async (items, cuts) => {
      // Each line: an encoded message, maybe mutated (newlines taken out, so that it stays one line).
      const lines = items.map(([m, mus]) => {
        let bytes: Uint8Array = utf8.encode(JSON.stringify(encodeMessage(m)));
        for (const mu of mus) bytes = mutateBytes(bytes, mu);
        return bytes.map((b) => (b === NEWLINE ? 0x20 : b));
      });
      const all = Uint8Array.from(lines.flatMap((l) => [...l, NEWLINE]));
      const chunks: Uint8Array[] = [];
      for (let at = 0, k = 0; at < all.length; k++) {
        const n = cuts[k % cuts.length];
        chunks.push(all.subarray(at, at + n));
        at += n;
      }
      const reported: CodecError[] = [];
      const got = await collect(nodeStreamSource(Readable.from(chunks), { onBadMessage: (e) => void reported.push(e) }));
      const expected = lines.map(expectedOfLine);
      expectSame(
        got,
        expected.filter((x): x is SampleMessage => x !== undefined && x !== "bad"),
      );
      expect(reported.map((e) => e.line)).toEqual(expected.flatMap((x, i) => (x === "bad" ? [i + 1] : [])));
      for (const e of reported) expect(e).toBeInstanceOf(CodecError);
    },
  );

  test.prop(
    [
      fc.array(
        fc.tuple(
          message,
          fc.array(structural, { maxLength: 2 }),
          fc.oneof(fc.constant(undefined), fc.constantFrom(2, 8, 0, 1.5, -4, "8", NaN)),
        ),
        { minLength: 1, maxLength: 6 },
      ),
    ],
    params,
  )("the MessagePort source delivers every good message in order, reports each bad one, and grants credit for all", async (items) => {
    const port = fakePort();
    const reported: CodecError[] = [];
    const done = collect(messagePortSource(port, { onBadMessage: (e) => void reported.push(e) }));
    const expected: (SampleMessage | "bad")[] = [];
    let windowed = 0;
    for (const [m, mus, window] of items) {
      let json = structuredClone(m) as unknown as Json;
      for (const mu of mus) json = mutate(json, mu) as Json;
      port.emit({ sampo: "message", message: json, ...(window !== undefined && { window }) });
      const validWindow = window === undefined || (Number.isInteger(window) && (window as number) >= 2);
      let outcome: SampleMessage | "bad";
      try {
        outcome = validWindow ? checkMessage(json) : "bad";
      } catch {
        outcome = "bad";
      }
      expected.push(outcome);
      if (window !== undefined) windowed++;
    }
    port.emit({ sampo: "credit", n: 3 }); // a credit is for a sink: the source ignores it
    port.emit({ sampo: "end" });
    const got = await done;
    expectSame(
      got,
      expected.filter((x): x is SampleMessage => x !== "bad"),
    );
    expect(reported).toHaveLength(expected.filter((x) => x === "bad").length);
    for (const e of reported) expect(e).toBeInstanceOf(CodecError);
    // Credits never exceed what was sent, and a producer is never owed more than half its largest window.
    const credited = port.posted.reduce((s: number, p) => s + (p as { n: number }).n, 0);
    expect(credited).toBeLessThanOrEqual(windowed);
    expect(windowed - credited).toBeLessThan(8 / 2);
  });

  const checkpoint: CheckpointItem = { type: "checkpoint", chain: 2, checkpoint: { version: 1, iter: 3, theta: [-0, NaN] } as never };
  const frameItems = fc.array(
    fc.oneof(
      // A cluster's frames carry no CSV rows (RunOptions.csvRows).
      draw.map((d) => ({ ...d, chain: 2, values: [...d.values, 0, 0, 0].slice(0, 3), columns: undefined, csvRow: undefined })),
      fc.constantFrom(...nastyMessages().filter((m) => m.type !== "draw" && m.type !== "start"), checkpoint),
    ),
    { maxLength: 6 },
  );
  test.prop([frameItems, fc.array(bytesMutation, { maxLength: 3 })], params)(
    "a cluster frame, mutated or not, decodes to valid items or is a FrameError",
    (items, mutations) => {
      const b = new BatchBuilder(3, 2);
      for (const item of items) b.add(item as SampleMessage | CheckpointItem);
      let bytes = encodeFrame(b.take());
      for (const mu of mutations) bytes = mutateBytes(bytes, mu);
      let batch;
      try {
        batch = decodeFrame(bytes);
      } catch (e) {
        if (e instanceof FrameError) return;
        throw new Error(`not a FrameError: ${String(e)}`, { cause: e });
      }
      const back = unpackBatch(batch, "r", 2);
      for (const item of back) if (item.type !== "checkpoint") expect(checkMessage(item)).toStrictEqual(item);
      if (mutations.length === 0) {
        const strip = (m: object) => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined));
        expect(back.map(strip)).toStrictEqual(items.map((m) => strip({ ...m, ...(m.type === "draw" && { run: "r" }) })));
      }
    },
  );

  // A checkpoint's state: plain data whose arrays of numbers (−0 and NaN among them) cross between threads as Float64Arrays.
  const { state } = fc.letrec((tie) => ({
    state: fc.oneof(
      { depthSize: "small" },
      number,
      text,
      fc.boolean(),
      fc.constant(null),
      fc.array(number, { maxLength: 5 }),
      fc.array(tie("state"), { maxLength: 3 }),
      fc.dictionary(text, tie("state"), { maxKeys: 3, noNullPrototype: true }),
    ),
  }));
  test.prop([frameItems, state], params)(
    "a batch a worker thread posts (structured clone) gives back the very items, checkpoints number for number",
    (items, s) => {
      const withState = [...items, { type: "checkpoint", chain: 2, checkpoint: { version: 1, iter: 4, state: s } as never }];
      const b = new BatchBuilder(3, 2);
      for (const item of withState) b.add(item as SampleMessage | CheckpointItem);
      const back = unpackBatch(received(structuredClone(postable(b.take()))), "r", 2);
      const direct = new BatchBuilder(3, 2);
      for (const item of withState) direct.add(item as SampleMessage | CheckpointItem);
      // Object.is on every number: toStrictEqual would let −0 pass for 0.
      const bits = (x: unknown) =>
        JSON.stringify(x, (_, v: unknown) => (typeof v === "number" ? (Object.is(v, -0) ? "-0" : String(v)) : v));
      expect(bits(back)).toBe(bits(unpackBatch(direct.take(), "r", 2)));
    },
  );
}
