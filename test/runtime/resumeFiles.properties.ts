/**
 * Properties of the files `--resume` reads back (issue #16, boundary "Files
 * sampo reads back"): a checkpoint or `run.json` truncated at any byte, with
 * a bit flipped or a line deleted or repeated, is refused with a
 * RunFileError naming the file, or reads back as what was written (a
 * checkpoint exactly: its checksum covers every byte; `run.json`, which
 * people read and edit and which has no checksum, with at most the damaged
 * field changed).
 */
import { expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { losslessStringify } from "../../src/losslessJson.ts";
import { parseCheckpoint, parseManifest, RunFileError, sealCheckpoint } from "../../src/runtime/resumeFiles.ts";
import { CHECKPOINT_FORMAT } from "../../src/runtime/drawLog.ts";
import { propertyParameters } from "../helpers/property.ts";

/** The values an arbitrary generates. */
type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

const CHECKPOINT = "runs/x/checkpoint-2.json";
const MANIFEST = "runs/x/run.json";

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

/** A checkpoint of chain 2 as sampo writes one: unfinished with a state, or done. */
const checkpoint = fc.oneof(
  fc.record({
    format: fc.constant(CHECKPOINT_FORMAT),
    run: fc.string(),
    chain: fc.constant(2),
    csvBytes: fc.nat(),
    done: fc.constant(false),
    state: fc.record({
      version: fc.constantFrom(1, 2),
      // The warm-up's own fields: any numbers, -0, NaN and ±∞ included (written losslessly).
      stepSize: fc.double(),
      sums: fc.array(fc.double(), { maxLength: 4 }),
      iter: fc.nat(),
      theta: fc.array(finite, { maxLength: 5 }),
      rng: fc.record({ seed: fc.nat(), stream: fc.constant(2), counter: fc.nat(), used: fc.constantFrom(0, 1, 2) }),
    }),
  }),
  fc.record({
    format: fc.constant(CHECKPOINT_FORMAT),
    run: fc.string(),
    chain: fc.constant(2),
    csvBytes: fc.nat(),
    done: fc.constant(true),
  }),
);

/** A run.json as sampo writes one. */
const manifest = fc.record(
  {
    sampoVersion: fc.constant("0.1.0"),
    run: fc.string(),
    model: fc.string(),
    modelHash: fc.stringMatching(/^[0-9a-f]{16}$/),
    dataHash: fc.stringMatching(/^[0-9a-f]{16}$/),
    created: fc.constant("2026-12-06T16:00:00.000Z"),
    settings: fc.record({
      chains: fc.integer({ min: 1, max: 8 }),
      draws: fc.nat(5000),
      warmup: fc.nat(5000),
      seed: fc.nat(),
      thin: fc.integer({ min: 1, max: 5 }),
      targetAccept: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
      maxDepth: fc.integer({ min: 1, max: 12 }),
      metric: fc.constantFrom("diag", "dense", "auto"),
      adapt: fc.constantFrom("stan", "nutpie"),
      saveWarmup: fc.boolean(),
      reparam: fc.boolean(),
    }),
    centering: fc.dictionary(fc.string(), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }), { maxKeys: 2 }),
    modelPath: fc.string(),
    dataPath: fc.string(),
    checkpointEvery: fc.integer({ min: 1, max: 1000 }),
  },
  { requiredKeys: ["sampoVersion", "run", "model", "modelHash", "dataHash", "created", "settings", "centering"] },
);

/** Damage to a file's bytes: cut at a byte, a bit flipped, a line deleted or repeated. */
type Damage = { kind: "cut" | "flip" | "delete" | "repeat"; at: number; bit: number };
const damage: fc.Arbitrary<Damage> = fc.record({ kind: fc.constantFrom("cut", "flip", "delete", "repeat"), at: fc.nat(), bit: fc.nat(7) });

/** The text with `d` done to it (read as UTF-8, as the reader does). */
function damaged(text: string, d: Damage): string {
  const bytes = Buffer.from(text);
  if (d.kind === "cut") return bytes.subarray(0, d.at % bytes.length).toString("utf8");
  if (d.kind === "flip") {
    bytes[d.at % bytes.length] ^= 1 << d.bit;
    return bytes.toString("utf8");
  }
  const lines = text.split("\n");
  const k = d.at % lines.length;
  if (d.kind === "delete") lines.splice(k, 1);
  else lines.splice(k, 0, lines[k]);
  return lines.join("\n");
}

/** Runs `read`, returning its value or its RunFileError (anything else fails the test), which must name `file`. */
function attempt(read: () => unknown, file: string): unknown {
  try {
    return read();
  } catch (e) {
    expect(e).toBeInstanceOf(RunFileError);
    expect((e as RunFileError).file).toBe(file);
    expect((e as RunFileError).message).toContain(file);
    return e;
  }
}

/** The fields of a manifest by path, two levels deep (`settings.chains`, `centering.mu`), as JSON, for counting what changed. */
function fields(m: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(m as object)) {
    if (v !== null && typeof v === "object" && !Array.isArray(v))
      for (const [j, x] of Object.entries(v)) out.set(`${k}.${j}`, JSON.stringify(x));
    else out.set(k, JSON.stringify(v));
  }
  return out;
}

/**
 * Defines the resume-file properties with `runs` runs each.
 *
 * @param runs Runs per property.
 */
export function defineResumeFilesProperties(runs: number): void {
  test.prop([checkpoint, damage], propertyParameters<[ValueOf<typeof checkpoint>, Damage]>(runs))(
    "a damaged checkpoint is refused with a RunFileError naming it, or reads back exactly as written",
    (cp, d) => {
      const text = sealCheckpoint(cp);
      const back = attempt(() => parseCheckpoint(damaged(text, d), CHECKPOINT, { format: CHECKPOINT_FORMAT, chain: 2 }), CHECKPOINT);
      if (back instanceof RunFileError) return;
      // Only the final newline may go (cut or deleted): every other byte is covered by the checksum.
      const { checksum: _checksum, ...content } = back as Record<string, unknown>;
      expect(losslessStringify(content)).toBe(losslessStringify(cp));
    },
  );

  test.prop([manifest, damage], propertyParameters<[ValueOf<typeof manifest>, Damage]>(runs))(
    "a damaged run.json is refused with a RunFileError naming it, or reads back with at most the damaged field changed",
    (m, d) => {
      const text = `${JSON.stringify(m, null, 2)}\n`;
      const back = attempt(() => parseManifest(damaged(text, d), MANIFEST), MANIFEST);
      if (back instanceof RunFileError) return;
      const before = fields(m);
      const after = fields(back);
      const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
      // A cut keeps the whole document or nothing. A deleted or repeated line changes one field (an element of an
      // array or a key repeated with its value); a flipped bit changes one value or renames one key (one field gone, one added).
      expect(changed.length).toBeLessThanOrEqual(d.kind === "cut" ? 0 : 2);
    },
  );
}
