/**
 * What `--resume` reads back from a run directory, checked before it is
 * trusted: `run.json` (the manifest) and `checkpoint-<k>.json`. A damaged
 * file is a {@link RunFileError} naming the file and the line (invalid
 * JSON) or field, never a run continued from wrong state.
 *
 * Checkpoints carry a SHA-256 checksum of their content (`checksum`), so a
 * flipped bit anywhere is caught; checkpoints written before it existed are
 * still read, with their fields checked. A truncated checkpoint is never
 * valid JSON with a checksum. The manifest is meant to be read (and, for
 * paths, edited) by people: its fields are checked, and its model and data
 * hashes are compared with the model and data being resumed elsewhere.
 * Each chain's CSV must end at a row where its checkpoint says, holding as
 * many rows as the iterations done.
 * @module
 */
import { createHash } from "node:crypto";
import { losslessParse, losslessStringify } from "../losslessJson.ts";
import { jsonErrorAt } from "../io/jsonErrorAt.ts";
import { StanCsvError } from "../io/stanCsv/error.ts";
import { readStanCsv } from "../io/stanCsv/read.ts";
import { readWholeStanCsv } from "../io/stanCsv/whole.ts";
import { rowsAfter } from "./keptRows.ts";

/** A run directory file that cannot be trusted: damaged, truncated, or not what it should be. */
export class RunFileError extends Error {
  override readonly name = "RunFileError";
  constructor(
    /** The file. */
    readonly file: string,
    /** The field at fault (`settings.chains`, `state.rng.used`), when one is. */
    readonly field: string | undefined,
    message: string,
    /** The 1-based line and column of invalid JSON. */
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line === undefined ? "" : `: line ${line}, column ${column}`}${field === undefined ? "" : `: ${field}`}: ${message}`);
  }
}

/** A value's problem in words, or undefined when it is fine. */
type Check = (v: unknown) => string | undefined;

const show = (v: unknown): string =>
  v === undefined ? "nothing" : typeof v === "string" ? JSON.stringify(v) : Array.isArray(v) ? "an array" : String(v);
const int =
  (min: number): Check =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min ? undefined : `expected an integer ≥ ${min}, got ${show(v)}`;
const str: Check = (v) => (typeof v === "string" ? undefined : `expected a string, got ${show(v)}`);
const bool: Check = (v) => (typeof v === "boolean" ? undefined : `expected true or false, got ${show(v)}`);
const oneOf =
  (...xs: readonly unknown[]): Check =>
  (v) =>
    xs.includes(v) ? undefined : `expected one of ${xs.map(show).join(", ")}, got ${show(v)}`;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const numbers =
  (finite: boolean): Check =>
  (v) =>
    Array.isArray(v) && v.every((x) => typeof x === "number" && (!finite || Number.isFinite(x)))
      ? undefined
      : `expected an array of ${finite ? "finite " : ""}numbers`;

/** A field's checks: required (`[check]`) or optional (`[check, "optional"]`), or nested fields. */
type Spec = { readonly [field: string]: readonly [Check] | readonly [Check, "optional"] | Spec };

/** The first problem of `v` against `spec`, with its field path (`state.rng.used`), or undefined. */
function firstProblem(v: unknown, spec: Spec, prefix: string): { field: string; problem: string } | undefined {
  if (!isObject(v)) return { field: prefix.slice(0, -1) || "(document)", problem: `expected an object, got ${show(v)}` };
  for (const [key, s] of Object.entries(spec)) {
    const field = `${prefix}${key}`;
    const x = Object.hasOwn(v, key) ? v[key] : undefined;
    if (!Array.isArray(s)) {
      const p = firstProblem(x, s as Spec, `${field}.`);
      if (p !== undefined) return p;
    } else if (!(x === undefined && s[1] === "optional")) {
      const problem = (s[0] as Check)(x);
      if (problem !== undefined) return { field, problem };
    }
  }
  return undefined;
}

/** Parses a run file's JSON, `parse` being JSON.parse or losslessParse. */
function parseJson(text: string, file: string, parse: (text: string) => unknown): unknown {
  try {
    return parse(text);
  } catch {
    // jsonErrorAt agrees with JSON.parse on what is JSON (test/io/dataFile.properties.ts).
    const at = jsonErrorAt(text)!;
    throw new RunFileError(file, undefined, `not valid JSON (truncated or damaged?): ${at.what}`, at.line, at.column);
  }
}

/**
 * Parses a run directory's JSON file written losslessly (a method's
 * `run.json`, with its figures), naming the file and line if it is not JSON.
 *
 * @param text The file's text.
 * @param file Its path, for errors.
 * @throws RunFileError naming the file, line and column.
 */
export function parseRunJson(text: string, file: string): unknown {
  return parseJson(text, file, losslessParse);
}

/** Throws the first problem of `v` (at field `prefix`, e.g. `state.`) against `spec` as a RunFileError of `file`. */
function check(v: unknown, spec: Spec, file: string, prefix = ""): void {
  const p = firstProblem(v, spec, prefix);
  if (p !== undefined) throw new RunFileError(file, p.field, p.problem);
}

const MANIFEST: Spec = {
  sampoVersion: [str],
  run: [str],
  model: [str],
  modelHash: [str],
  dataHash: [str],
  created: [str],
  settings: {
    chains: [int(1)],
    draws: [int(0)],
    warmup: [int(0)],
    seed: [int(0)],
    thin: [int(1)],
    targetAccept: [(v) => (typeof v === "number" && v > 0 && v < 1 ? undefined : `expected a number in (0, 1), got ${show(v)}`)],
    maxDepth: [int(1)],
    metric: [oneOf("diag", "dense", "auto")],
    adapt: [oneOf("stan", "nutpie"), "optional"],
    saveWarmup: [bool],
    reparam: [bool],
    sampler: [oneOf("nuts", "lockstep"), "optional"],
    initGradients: [int(0), "optional"],
  },
  centering: [
    (v) =>
      isObject(v)
        ? Object.values(v)
            .map(numbers(true))
            .find((p) => p !== undefined)
        : "expected an object",
  ],
  modelPath: [str, "optional"],
  dataPath: [str, "optional"],
  init: [(v) => (v === "pathfinder" || isObject(v) ? undefined : `expected initial values by site, got ${show(v)}`), "optional"],
  checkpointEvery: [int(1), "optional"],
};

/**
 * Reads the text of a run's `run.json`.
 *
 * @param text The file's text.
 * @param file Its path, for errors.
 * @returns The manifest, its fields checked (the caller types it).
 * @throws RunFileError naming the file and the line (invalid JSON) or the field.
 */
export function parseManifest(text: string, file: string): unknown {
  const manifest = parseJson(text, file, JSON.parse);
  check(manifest, MANIFEST, file);
  return manifest;
}

/** The SHA-256 of a checkpoint's content, as its `checksum` field holds it. */
const digest = (content: string): string => createHash("sha256").update(content).digest("hex");

/**
 * The text of a checkpoint file: its content, losslessly, with the checksum
 * {@link parseCheckpoint} verifies.
 *
 * @param file The checkpoint (without a checksum).
 */
export function sealCheckpoint(file: object): string {
  const content = losslessStringify(file);
  if (!content.startsWith("{") || content === "{}" || "checksum" in file)
    throw new TypeError("sealCheckpoint: a checkpoint is an object of fields, without a checksum");
  // losslessStringify({ ...file, checksum }) without writing the content twice: the checksum is the last key.
  return `${content.slice(0, -1)},"checksum":${JSON.stringify(digest(content))}}\n`;
}

const STATE: Spec = {
  version: [oneOf(1, 2)],
  iter: [int(0)],
  theta: [numbers(true)],
  rng: { seed: [int(0)], stream: [int(0)], counter: [int(0)], used: [oneOf(0, 1, 2)] },
};

const CHECKPOINT_FIELDS = new Set(["format", "run", "chain", "csvBytes", "done", "state", "checksum"]);

/**
 * Reads the text of chain `chain`'s checkpoint file.
 *
 * @param text The file's text.
 * @param file Its path, for errors.
 * @param expected The format tag it must carry and the chain it must be of.
 * @returns The checkpoint, its checksum verified and fields checked (the caller types it).
 * @throws RunFileError naming the file and the line (invalid JSON) or the field.
 */
export function parseCheckpoint(text: string, file: string, expected: { readonly format: string; readonly chain: number }): unknown {
  const doc = parseJson(text, file, losslessParse);
  if (!isObject(doc)) throw new RunFileError(file, undefined, `expected an object, got ${show(doc)}`);
  const unknown = Object.keys(doc).find((k) => !CHECKPOINT_FIELDS.has(k));
  if (unknown !== undefined) throw new RunFileError(file, unknown, "not a field of a checkpoint (a damaged file?)");
  const { checksum, ...content } = doc;
  if (checksum !== undefined && checksum !== digest(losslessStringify(content)))
    throw new RunFileError(file, "checksum", "the content does not match its checksum: the file was damaged or edited");
  if (doc.format !== expected.format)
    throw new RunFileError(file, "format", `not a sampo checkpoint (expected ${expected.format}, got ${show(doc.format)})`);
  check(doc, { run: [str], chain: [oneOf(expected.chain)], csvBytes: [int(0)], done: [bool] }, file);
  if (doc.done === false) check(doc.state, STATE, file, "state.");
  return doc;
}

/** What {@link checkCheckpointCsv} needs of a checkpoint and the run's settings. */
export interface CheckpointCsv {
  readonly csvBytes: number;
  readonly done: boolean;
  /** Iterations done (absent once done). */
  readonly iter?: number;
  readonly warmup: number;
  readonly thin: number;
  readonly saveWarmup: boolean;
}

/**
 * Checks that a chain's CSV matches its checkpoint: the first `csvBytes`
 * bytes end at a row's end and hold the rows of the iterations done (all of
 * them, whole, for a finished chain).
 *
 * @param csv The CSV file's bytes.
 * @param file Its path, for errors.
 * @param cp The checkpoint's figures and the run's settings.
 * @throws RunFileError (or the StanCsvError of a damaged row) naming the CSV file.
 */
export function checkCheckpointCsv(csv: Uint8Array, file: string, cp: CheckpointCsv): void {
  if (csv.length < cp.csvBytes)
    throw new RunFileError(file, undefined, `shorter (${csv.length} bytes) than its checkpoint records (${cp.csvBytes})`);
  const head = csv.subarray(0, cp.csvBytes);
  if (cp.csvBytes > 0 && head[cp.csvBytes - 1] !== 10)
    throw new RunFileError(
      file,
      undefined,
      `its checkpoint's length (${cp.csvBytes} bytes) ends inside a line: the file was changed since`,
    );
  if (cp.done) {
    readWholeStanCsv(head, file);
    return;
  }
  const { chain } = readStanCsv(head, file);
  const rows = chain.warmup + chain.draws;
  const expected = rowsAfter(cp.iter ?? 0, cp);
  if (rows !== expected)
    throw new StanCsvError(
      `${rows} rows before its checkpoint where ${cp.iter} iterations make ${expected}: rows were lost or repeated`,
      undefined,
      file,
    );
}
