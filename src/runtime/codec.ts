/**
 * The JSON codec of the draw message protocol, and its NDJSON lines.
 *
 * JSON cannot carry every number a run produces: a divergent transition has
 * an infinite energy, a failed density a NaN, and `JSON.stringify(-0)` is
 * `"0"`. The codec writes such a number, wherever the protocol has a number,
 * as one of the strings `"Infinity"`, `"-Infinity"`, `"NaN"` or `"-0"`
 * (the spellings JavaScript's `String(x)` and Python's `float(s)` read),
 * and every other number as itself, so that
 * `decodeMessage(JSON.parse(JSON.stringify(encodeMessage(m))))` equals `m`
 * exactly, including `Object.is` on each number.
 *
 * An encoded message is the message plus `v` (the protocol version), so a
 * line read on its own, far from its run's `start`, still says which
 * protocol it speaks:
 * ```json
 * {"v":1,"type":"draw","run":"…","chain":1,"iter":7,"warmup":true,"values":[0.3,"NaN"],"stats":{…,"energy":"Infinity",…}}
 * ```
 *
 * Decoding checks every field against the protocol (types, integers where
 * the protocol has counts, no unknown fields) and throws a
 * {@link CodecError} naming the first bad field. The one open object is
 * `start.settings`: a run's options may grow, so unknown settings pass
 * through as plain JSON.
 *
 * Structured clone (MessagePort, worker_threads) needs no codec: it keeps
 * infinities, NaN and -0 as they are.
 * @module
 */
import type { Adaptation, DrawStats } from "../inference/draws.ts";
import {
  PROTOCOL_VERSION,
  type AdaptedMessage,
  type ChainDoneMessage,
  type DoneMessage,
  type DrawMessage,
  type ErrorMessage,
  type ProgressMessage,
  type ResultMessage,
  type SampleMessage,
  type StartMessage,
} from "./messages.ts";
import type { LayoutEntry, ValueEntry, TransformSpec, TransformType } from "../tensor/layout.ts";
import type { FitSettings } from "../inference/options.ts";

/** A value JSON carries as it is. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** Malformed input to {@link decodeMessage} (or a message {@link encodeMessage} cannot write). */
export class CodecError extends Error {
  override readonly name = "CodecError";
  constructor(
    /** Where in the message the problem is, e.g. `draw.stats.energy`. */
    readonly path: string,
    /** What is wrong there. */
    readonly problem: string,
    /** The line of the NDJSON stream the message was read from (1-based), when it was read from one. */
    readonly line?: number,
  ) {
    super(`${line === undefined ? "" : `line ${line}: `}${path}: ${problem}`);
  }
}

// ---------------------------------------------------------------------------
// Field codecs: one small encoder/decoder pair per kind of field, composed
// into one exhaustive schema per message type below.
//
// A field that fails throws a Bad with the problem; each enclosing object or
// array prepends its key on the way out. The path is thus built only when
// something is wrong: building it for every field of every draw cost as
// much as the rest of the codec.

/** A field's problem, and where it is (filled in by the enclosing fields as it propagates). */
class Bad {
  readonly where: string[] = [];
  constructor(readonly problem: string) {}
}

/** Runs `f`, adding `key` to the location of a problem it throws. */
function at<T>(key: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Bad) e.where.unshift(key);
    throw e;
  }
}

interface Field<T> {
  encode(x: T): Json;
  decode(j: unknown): T;
}

const describe = (j: unknown): string =>
  j === null ? "null" : Array.isArray(j) ? "an array" : typeof j === "string" ? JSON.stringify(j) : typeof j;

/** The numbers JSON cannot write, by the string that stands for them. */
const SPECIAL: ReadonlyMap<string, number> = new Map([
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
  ["NaN", NaN],
  ["-0", -0],
]);

/** True for the numbers that JSON would lose (non-finite, or negative zero). */
const isSpecial = (x: number): boolean => !Number.isFinite(x) || (x === 0 && 1 / x < 0);

function encodeNumber(x: number): number | string {
  return isSpecial(x) ? (x === 0 ? "-0" : String(x)) : x;
}

function decodeNumber(j: unknown): number {
  if (typeof j === "number") return j; // also accepts non-finite numbers, as structured clone delivers them
  if (typeof j === "string") {
    const x = SPECIAL.get(j);
    if (x !== undefined) return x;
  }
  throw new Bad(`expected a number, got ${describe(j)}`);
}

const num: Field<number> = { encode: encodeNumber, decode: decodeNumber };

/** An integer ≥ `min`: counts and indices, where a fraction or an infinity is a bug upstream. */
const int = (min: number): Field<number> => ({
  encode: encodeNumber,
  decode(j) {
    const x = decodeNumber(j);
    if (!Number.isInteger(x) || x < min) throw new Bad(`expected an integer ≥ ${min}, got ${describe(j)}`);
    return x;
  },
});

const str: Field<string> = {
  encode: (x) => x,
  decode(j) {
    if (typeof j !== "string") throw new Bad(`expected a string, got ${describe(j)}`);
    return j;
  },
};

const bool: Field<boolean> = {
  encode: (x) => x,
  decode(j) {
    if (typeof j !== "boolean") throw new Bad(`expected a boolean, got ${describe(j)}`);
    return j;
  },
};

/** One of a fixed set of strings. */
function oneOf<T extends string>(...allowed: T[]): Field<T> {
  return {
    encode: (x) => x,
    decode(j) {
      if (!allowed.includes(j as T)) throw new Bad(`expected one of ${allowed.join(", ")}, got ${describe(j)}`);
      return j as T;
    },
  };
}

/** Exactly this value (the `type` tag of each message, the protocol version). */
function literal<T extends string | number>(value: T): Field<T> {
  return {
    encode: (x) => x,
    decode(j) {
      if (j !== value) throw new Bad(`expected ${JSON.stringify(value)}, got ${describe(j)}`);
      return value;
    },
  };
}

function arrayOf(j: unknown): unknown[] {
  if (!Array.isArray(j)) throw new Bad(`expected an array, got ${describe(j)}`);
  return j;
}

/**
 * An array of numbers: the hot path (every draw's values). An array without
 * special numbers is written as it is, without a copy.
 */
const numbers: Field<number[]> = {
  encode(xs) {
    for (let i = 0; i < xs.length; i++) if (isSpecial(xs[i])) return xs.map(encodeNumber);
    return xs;
  },
  decode(j) {
    const a = arrayOf(j);
    const out = new Array<number>(a.length);
    for (let i = 0; i < a.length; i++) out[i] = typeof a[i] === "number" ? (a[i] as number) : at(`[${i}]`, () => decodeNumber(a[i]));
    return out;
  },
};

function array<T>(item: Field<T>): Field<T[]> {
  return {
    encode: (xs) => xs.map((x, i) => at(`[${i}]`, () => item.encode(x))),
    // Array.from, not map: map skips the holes of a sparse array (structured clone keeps them), which JSON cannot write.
    decode: (j) => Array.from(arrayOf(j), (x, i) => at(`[${i}]`, () => item.decode(x))),
  };
}

/** A field that may be absent (never written as `null`). */
function optional<T>(field: Field<T>): Field<T | undefined> {
  return {
    encode: (x) => field.encode(x as T),
    decode: (j) => (j === undefined ? undefined : field.decode(j)),
  };
}

/** One field codec for each key of T: the compiler rejects a schema that misses one. */
type Schema<T> = { readonly [K in keyof T]-?: Field<T[K]> };

function isRecord(j: unknown): j is Record<string, unknown> {
  return typeof j === "object" && j !== null && !Array.isArray(j);
}

function recordOf(j: unknown): Record<string, unknown> {
  if (!isRecord(j)) throw new Bad(`expected an object, got ${describe(j)}`);
  return j;
}

/** Sets a key read from input as an own property: an assignment to "__proto__" would set the prototype instead. */
function define(o: object, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Options of {@link object}. */
interface ObjectOptions {
  /** Keys the schema does not know pass through as plain JSON (and must be plain JSON). */
  readonly open?: boolean;
  /** Written first when encoding, ignored when decoding (the envelope's `v`, checked before). */
  readonly stamp?: Readonly<Record<string, Json>>;
}

/** An object with exactly the keys of its schema (see {@link ObjectOptions} for the exceptions). */
function object<T>(schema: Schema<T>, { open = false, stamp }: ObjectOptions = {}): Field<T> {
  const keys = Object.keys(schema) as (keyof T & string)[];
  return {
    encode(x) {
      const out: Record<string, Json> = {};
      if (stamp !== undefined) for (const s in stamp) out[s] = stamp[s];
      let k: keyof T & string = keys[0];
      try {
        for (k of keys) if (x[k] !== undefined) out[k] = schema[k].encode(x[k]);
        if (open) for (k of Object.keys(x as object) as typeof keys) if (!Object.hasOwn(schema, k)) define(out, k, plainJson(x[k]));
      } catch (e) {
        if (e instanceof Bad) e.where.unshift(`.${k}`);
        throw e;
      }
      return out;
    },
    decode(j) {
      const r = recordOf(j);
      const out: Record<string, unknown> = {};
      let k = keys[0] as string;
      try {
        for (k of keys) {
          const v = schema[k as keyof T & string].decode(r[k]);
          if (v !== undefined) out[k] = v;
        }
        for (k of Object.keys(r)) {
          if (Object.hasOwn(schema, k) || (stamp !== undefined && Object.hasOwn(stamp, k))) continue;
          if (!open) throw new Bad("unknown field");
          define(out, k, plainJson(r[k]));
        }
      } catch (e) {
        // One try around the loop rather than one per field: a field's key is added only when it failed.
        if (e instanceof Bad) e.where.unshift(`.${k}`);
        throw e;
      }
      return out as T;
    },
  };
}

/**
 * How deep the free-form JSON of a message (unknown settings, a method's
 * settings and result) may nest: far deeper than any method writes, and
 * shallow enough that checking it cannot exhaust the stack.
 */
const MAX_DEPTH = 64;

function checkDepth(depth: number): void {
  if (depth > MAX_DEPTH) throw new Bad(`nested deeper than ${MAX_DEPTH} levels`);
}

/** A value JSON keeps exactly, or a problem (used for the open settings only). */
function plainJson(x: unknown, depth = 0): Json {
  if (x === null || typeof x === "string" || typeof x === "boolean") return x;
  if (typeof x === "number") {
    if (isSpecial(x)) throw new Bad(`an unknown setting must be plain JSON, got ${String(x)}`);
    return x;
  }
  checkDepth(depth);
  if (Array.isArray(x)) return Array.from(x, (v, i) => at(`[${i}]`, () => plainJson(v, depth + 1)));
  if (isRecord(x)) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, at(`.${k}`, () => plainJson(v, depth + 1))]));
  throw new Bad(`expected plain JSON, got ${describe(x)}`);
}

/**
 * JSON whose numbers may be special (a method's settings and result: a k̂ of
 * Infinity, a log evidence of −Infinity). A string spelled like a special
 * number ("NaN", "-0", …) reads back as that number.
 */
const json: Field<Json> = {
  encode: (x) => specialJson(x, (v) => (typeof v === "number" ? encodeNumber(v) : (v as string))),
  decode: (j) => specialJson(j, decodeNumberOrString),
};

function decodeNumberOrString(j: unknown): number | string {
  return typeof j === "string" && !SPECIAL.has(j) ? j : decodeNumber(j);
}

function specialJson(x: unknown, number: (x: unknown) => number | string, depth = 0): Json {
  if (x === null || typeof x === "boolean") return x;
  if (typeof x === "number" || typeof x === "string") return number(x);
  checkDepth(depth);
  if (Array.isArray(x)) return Array.from(x, (v, i) => at(`[${i}]`, () => specialJson(v, number, depth + 1)));
  if (isRecord(x)) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, at(`.${k}`, () => specialJson(v, number, depth + 1))]));
  throw new Bad(`expected JSON, got ${describe(x)}`);
}

/** A map from names to values of one kind. */
function record<T>(value: Field<T>): Field<Record<string, T>> {
  return {
    encode: (x) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, at(`.${k}`, () => value.encode(v))])),
    decode: (j) => Object.fromEntries(Object.entries(recordOf(j)).map(([k, v]) => [k, at(`.${k}`, () => value.decode(v))])),
  };
}

/** The inverse metric: a diagonal (numbers) or a dense matrix (rows of numbers). */
const matrix = array(numbers);
const invMetric: Field<Adaptation["invMetric"]> = {
  encode: (x) => (x.length > 0 && Array.isArray(x[0]) ? matrix.encode(x as number[][]) : numbers.encode(x as number[])),
  decode: (j) => (Array.isArray(j) && j.length > 0 && Array.isArray(j[0]) ? matrix.decode(j) : numbers.decode(j)),
};

// ---------------------------------------------------------------------------
// The protocol, one schema per message type.

const shape = array(int(0));

const valueEntry = object<ValueEntry>({ name: str, shape, offset: int(0), size: int(0), kind: oneOf("parameter", "deterministic") });

// Transform names are checked as strings: a new transform must not make old readers reject a run.
const transformSpec = object<TransformSpec>({ type: str as Field<TransformType>, lower: optional(num), upper: optional(num) });

const layoutEntry = object<LayoutEntry>({ name: str, shape, offset: int(0), size: int(0), transform: transformSpec });

const settings = object<FitSettings>(
  {
    chains: int(1),
    draws: int(0),
    warmup: int(0),
    seed: int(0),
    thin: int(1),
    targetAccept: num,
    maxDepth: int(1),
    metric: oneOf("diag", "dense", "auto"),
    adapt: optional(oneOf("nutpie", "stan")),
    saveWarmup: bool,
    reparam: bool,
    sampler: optional(oneOf("nuts", "lockstep")),
    initGradients: optional(int(0)),
  },
  { open: true },
);

const stats = object<DrawStats>({
  lp: num,
  acceptStat: num,
  stepSize: num,
  treeDepth: int(0),
  nLeapfrog: int(0),
  divergent: bool,
  energy: num,
  recovered: int(0),
});

/** What every encoded message carries besides its fields. */
const ENVELOPE: ObjectOptions = { stamp: { v: PROTOCOL_VERSION } };

/** Each message type's fields, the `type` tag included. */
const MESSAGES: { readonly [K in SampleMessage["type"]]: Field<Extract<SampleMessage, { type: K }>> } = {
  start: object<StartMessage>(
    {
      type: literal("start"),
      version: literal(PROTOCOL_VERSION),
      run: str,
      valueLayout: array(valueEntry),
      layout: array(layoutEntry),
      settings,
      modelHash: str,
      dataHash: str,
      centering: record(numbers),
      method: optional(oneOf("optimize", "laplace", "variational", "pathfinder", "smc")),
      methodSettings: optional(record(json)),
    },
    ENVELOPE,
  ),
  draw: object<DrawMessage>(
    {
      type: literal("draw"),
      run: str,
      chain: int(1),
      iter: int(1),
      warmup: bool,
      values: numbers,
      stats,
      columns: optional(record(num)),
      csvRow: optional(str),
    },
    ENVELOPE,
  ),
  adapted: object<AdaptedMessage>({ type: literal("adapted"), run: str, chain: int(1), stepSize: num, invMetric }, ENVELOPE),
  chainDone: object<ChainDoneMessage>(
    { type: literal("chainDone"), run: str, chain: int(1), elapsed: object({ warmup: num, sampling: num }) },
    ENVELOPE,
  ),
  progress: object<ProgressMessage>(
    { type: literal("progress"), run: str, phase: str, iter: int(0), total: optional(int(0)), metrics: record(num) },
    ENVELOPE,
  ),
  result: object<ResultMessage>(
    {
      type: literal("result"),
      run: str,
      method: oneOf("optimize", "laplace", "variational", "pathfinder", "smc"),
      info: record(json),
      warnings: array(str),
    },
    ENVELOPE,
  ),
  done: object<DoneMessage>({ type: literal("done"), run: str }, ENVELOPE),
  error: object<ErrorMessage>({ type: literal("error"), run: str, chain: optional(int(1)), message: str }, ENVELOPE),
};

/** A message as JSON-safe data: the message's fields plus `v`, the protocol version. */
export type EncodedMessage = { readonly v: typeof PROTOCOL_VERSION; readonly type: SampleMessage["type"] } & {
  readonly [key: string]: Json;
};

function fieldOf(type: unknown): Field<SampleMessage> {
  if (typeof type !== "string" || !Object.hasOwn(MESSAGES, type))
    throw new CodecError("message.type", `unknown message type ${describe(type)}`);
  return MESSAGES[type as SampleMessage["type"]] as Field<SampleMessage>;
}

/** Runs a message's field codec, turning its problem into a CodecError whose path starts with the message type. */
function withPath<T>(type: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Bad) throw new CodecError(type + e.where.join(""), e.problem);
    throw e;
  }
}

/**
 * A message as JSON-safe data (see the module comment for the form).
 * Throws a {@link CodecError} for an object that is not a protocol message.
 */
export function encodeMessage(msg: SampleMessage): EncodedMessage {
  const type = (msg as { type?: unknown }).type;
  const field = fieldOf(type);
  return withPath(type as string, () => field.encode(msg)) as EncodedMessage;
}

/**
 * The message an {@link encodeMessage} result stands for, after JSON or not.
 * Checks the version and every field; throws a {@link CodecError} naming the
 * first bad one.
 */
export function decodeMessage(json: unknown): SampleMessage {
  if (isRecord(json) && json.v !== PROTOCOL_VERSION)
    throw new CodecError("message.v", `expected protocol version ${PROTOCOL_VERSION}, got ${describe(json.v)}`);
  return checkMessage(json);
}

/**
 * A message that came by structured clone (a MessagePort, an item of a
 * cluster frame): checked field by field as {@link decodeMessage} checks an
 * encoded one, but without the version stamp. Returns the message (a copy);
 * throws a {@link CodecError} naming the first bad field.
 */
export function checkMessage(value: unknown): SampleMessage {
  if (!isRecord(value)) throw new CodecError("message", `expected an object, got ${describe(value)}`);
  const field = fieldOf(value.type);
  return withPath(value.type as string, () => field.decode(value));
}

// ---------------------------------------------------------------------------
// NDJSON: one encoded message per line.

/** One message as an NDJSON line, newline included. */
export function encodeLine(msg: SampleMessage): string {
  return JSON.stringify(encodeMessage(msg)) + "\n";
}

/**
 * The message on one NDJSON line (a trailing newline or carriage return is
 * allowed). `lineNumber`, if given, goes into the {@link CodecError}.
 */
export function decodeLine(line: string, lineNumber?: number): SampleMessage {
  try {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      // JSON.parse of a deeply nested line can exhaust the stack (a RangeError): that too is a line that is not JSON here.
      throw new CodecError("line", `not JSON (${e instanceof Error ? e.message : String(e)}): ${line.slice(0, 80)}`);
    }
    return decodeMessage(json);
  } catch (e) {
    if (e instanceof CodecError && lineNumber !== undefined) throw new CodecError(e.path, e.problem, lineNumber);
    throw e;
  }
}

/**
 * Cuts a stream of text chunks into lines: chunks from a pipe or a socket
 * split lines anywhere, so a partial line waits for the rest. The work is
 * linear in the input, however long a line is.
 */
export class LineSplitter {
  /** The start of the current line, in pieces (joined once, when its newline arrives). */
  private rest: string[] = [];

  /** The complete lines in the pending text + `chunk`; blank lines are skipped. */
  push(chunk: string): string[] {
    const newline = chunk.indexOf("\n");
    if (newline < 0) {
      if (chunk !== "") this.rest.push(chunk);
      return [];
    }
    const parts = chunk.split("\n");
    parts[0] = this.rest.join("") + parts[0];
    const last = parts.pop()!;
    this.rest = last === "" ? [] : [last];
    return parts.filter((l) => l.trim() !== "");
  }

  /** What is left after the last newline, when the input has ended (undefined if nothing). */
  end(): string | undefined {
    const last = this.rest.join("");
    this.rest = [];
    return last.trim() === "" ? undefined : last;
  }
}
