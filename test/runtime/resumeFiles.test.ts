/**
 * What `--resume` reads back (src/runtime/resumeFiles.ts): examples, and
 * the cases that used to pass silently or fail with a bare SyntaxError.
 */
import { describe, expect, it } from "vitest";
import { losslessStringify } from "../../src/losslessJson.ts";
import { StanCsvError } from "../../src/io/stanCsv/index.ts";
import { checkCheckpointCsv, parseCheckpoint, parseManifest, RunFileError, sealCheckpoint } from "../../src/runtime/resumeFiles.ts";
import { CHECKPOINT_FORMAT } from "../../src/runtime/drawLog.ts";
import { thrown } from "../helpers/thrown.ts";

const FILE = "run/checkpoint-1.json";
const expected = { format: CHECKPOINT_FORMAT, chain: 1 };
const checkpoint = {
  format: CHECKPOINT_FORMAT,
  run: "r1",
  chain: 1,
  csvBytes: 1234,
  done: false,
  state: { version: 2, adapt: "nutpie", stepSize: -0, iter: 150, theta: [0.25, -1.5], rng: { seed: 3, stream: 1, counter: 75, used: 1 } },
};

/** The RunFileError `f` throws. */
const runFileError = (f: () => unknown): RunFileError => thrown(f, RunFileError);

describe("checkpoint files", () => {
  it("read back exactly as sealed, -0 included", () => {
    const back = parseCheckpoint(sealCheckpoint(checkpoint), FILE, expected) as Record<string, unknown>;
    const { checksum, ...content } = back;
    expect(typeof checksum).toBe("string");
    expect(losslessStringify(content)).toBe(losslessStringify(checkpoint));
  });

  it("are sealed as the content with its checksum as the last key, with or without numbers JSON cannot spell", () => {
    const finite = { ...checkpoint, state: { ...checkpoint.state, stepSize: 0.5 } };
    for (const file of [checkpoint, finite]) {
      const text = sealCheckpoint(file);
      const { checksum } = JSON.parse(text) as { checksum: string };
      expect(text).toBe(`${losslessStringify({ ...file, checksum })}\n`);
      expect(parseCheckpoint(text, FILE, expected)).toBeDefined();
    }
    expect(() => sealCheckpoint({ ...checkpoint, checksum: "0" })).toThrow(TypeError);
    expect(() => sealCheckpoint({})).toThrow(TypeError);
  });

  it("losslessStringify writes plain JSON where it can, and tags -0, NaN and infinities wherever they are", () => {
    const plain = { a: [1, 0, -2.5, 1e308], b: { c: "x", d: null, e: true }, f: Float64Array.of(1, 2) };
    expect(losslessStringify(plain)).toBe(JSON.stringify(plain));
    const tags = (v: unknown) => losslessStringify(v).match(/\$num/g)?.length ?? 0;
    expect(tags({ a: [[1, -0]] })).toBe(1);
    expect(tags({ a: { b: [NaN, Infinity, -Infinity] } })).toBe(3);
    expect(tags(Float64Array.of(1, -0))).toBe(1);
    expect(tags({ toJSON: () => [NaN] })).toBe(1);
  });

  it("a truncated checkpoint names the file, line and column (it was a bare SyntaxError)", () => {
    const text = sealCheckpoint(checkpoint);
    const e = runFileError(() => parseCheckpoint(text.slice(0, 60), FILE, expected));
    expect(e.message).toMatch(/^run\/checkpoint-1\.json: line 1, column \d+: not valid JSON \(truncated or damaged\?\)/);
    expect(e.line).toBe(1);
  });

  it("a checkpoint with iter 150 changed to 151 is refused by its checksum (it was resumed from the wrong iteration)", () => {
    const text = sealCheckpoint(checkpoint).replace('"iter":150', '"iter":151');
    const e = runFileError(() => parseCheckpoint(text, FILE, expected));
    expect(e.field).toBe("checksum");
  });

  it("a checkpoint written before checksums is still read, its fields checked", () => {
    const legacy = `${losslessStringify(checkpoint)}\n`;
    expect(parseCheckpoint(legacy, FILE, expected)).toMatchObject({ csvBytes: 1234 });
    const bad = legacy.replace('"used":1', '"used":7');
    expect(runFileError(() => parseCheckpoint(bad, FILE, expected)).message).toBe(
      "run/checkpoint-1.json: state.rng.used: expected one of 0, 1, 2, got 7",
    );
  });

  it("a checkpoint of another chain, an unknown field or another format is refused", () => {
    expect(runFileError(() => parseCheckpoint(sealCheckpoint({ ...checkpoint, chain: 2 }), FILE, expected)).field).toBe("chain");
    expect(runFileError(() => parseCheckpoint(sealCheckpoint({ ...checkpoint, extra: 1 }), FILE, expected)).field).toBe("extra");
    expect(runFileError(() => parseCheckpoint(sealCheckpoint({ ...checkpoint, format: "x/1" }), FILE, expected)).field).toBe("format");
  });
});

describe("run.json", () => {
  const manifest = {
    sampoVersion: "0.1.0",
    run: "r1",
    model: "m.ts",
    modelHash: "abc",
    dataHash: "def",
    created: "2026-12-06T16:00:00.000Z",
    settings: {
      chains: 2,
      draws: 100,
      warmup: 100,
      seed: 3,
      thin: 1,
      targetAccept: 0.8,
      maxDepth: 10,
      metric: "auto",
      saveWarmup: false,
      reparam: false,
    },
    centering: { theta: [1, 0.5] },
  };

  it("reads a manifest and names the field that is wrong", () => {
    expect(parseManifest(JSON.stringify(manifest), "run.json")).toEqual(manifest);
    const bad = { ...manifest, settings: { ...manifest.settings, thin: 0 } };
    expect(runFileError(() => parseManifest(JSON.stringify(bad), "run.json")).message).toBe(
      "run.json: settings.thin: expected an integer ≥ 1, got 0",
    );
    expect(runFileError(() => parseManifest(JSON.stringify({ ...manifest, centering: { theta: ["x"] } }), "run.json")).field).toBe(
      "centering",
    );
  });

  it("a truncated run.json names the line and column", () => {
    const text = JSON.stringify(manifest, null, 2);
    const e = runFileError(() => parseManifest(text.slice(0, 100), "run.json"));
    expect([e.line, e.field]).toEqual([text.slice(0, 100).split("\n").length, undefined]);
  });
});

describe("a chain's CSV against its checkpoint", () => {
  const header = "# model=m\nlp__,mu\n";
  const settings = { warmup: 4, thin: 2, saveWarmup: true };
  const csv = Buffer.from(`${header}1,1\n2,2\n3,3\n4,4\n`);

  it("passes when the bytes end at a row and hold the rows of the iterations done", () => {
    // 5 iterations with thin 2: warm-up iterations 1 and 3, then sampling iteration 5: three rows.
    const bytes = Buffer.byteLength(`${header}1,1\n2,2\n3,3\n`);
    expect(() => checkCheckpointCsv(csv, "chain-1.csv", { ...settings, csvBytes: bytes, done: false, iter: 5 })).not.toThrow();
  });

  it("refuses a CSV cut before its checkpoint, a length inside a line, and a row count that does not match", () => {
    const bytes = Buffer.byteLength(`${header}1,1\n2,2\n3,3\n`);
    expect(
      runFileError(() =>
        checkCheckpointCsv(csv.subarray(0, bytes - 1), "chain-1.csv", { ...settings, csvBytes: bytes, done: false, iter: 5 }),
      ).message,
    ).toMatch(/chain-1\.csv: shorter \(\d+ bytes\) than its checkpoint records/);
    expect(
      runFileError(() => checkCheckpointCsv(csv, "chain-1.csv", { ...settings, csvBytes: bytes - 2, done: false, iter: 5 })).message,
    ).toMatch(/ends inside a line/);
    expect(() => checkCheckpointCsv(csv, "chain-1.csv", { ...settings, csvBytes: bytes, done: false, iter: 7 })).toThrow(StanCsvError);
  });
});
