/**
 * `sampo export` end to end in a child process: ONNX (both dtypes) and the
 * standalone TypeScript module, and its errors.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readOnnxMetadata } from "../../src/codegen/onnx/model.ts";
import { sampo } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "sampo-export-"));

describe("sampo export", { timeout: 60_000 }, () => {
  it("writes ONNX with sampo's metadata, in float32 when asked", async () => {
    const out = join(dir, "es.onnx");
    const r = await sampo(["export", "examples/eight_schools.ts", "--format", "onnx", "--dtype", "float32", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wrote .*es\.onnx \(onnx, float32/);
    const meta = readOnnxMetadata(readFileSync(out));
    expect(meta["sampo.dtype"]).toBe("float32");
    expect(JSON.parse(meta["sampo.layout"] ?? "[]").map((e: { name: string }) => e.name)).toEqual(["mu", "tau", "theta"]);
  });

  it("exports reparameterized with --centering (a run.json's centering, or a bare object)", async () => {
    const run = join(dir, "run.json");
    writeFileSync(run, JSON.stringify({ centering: { theta: [0, 0, 0, 0, 0, 0, 0, 0] } }));
    const [centered, written] = [join(dir, "es-c.onnx"), join(dir, "es-w.onnx")];
    for (const [out, extra] of [
      [centered, ["--centering", run]],
      [written, []],
    ] as const) {
      const r = await sampo(["export", "examples/eight_schools.ts", "--out", out, ...extra]);
      expect(r.code, r.stderr).toBe(0);
    }
    const hash = (f: string) => readOnnxMetadata(readFileSync(f))["sampo.modelHash"];
    expect(hash(centered)).not.toBe(hash(written));
  });

  it("writes a standalone TypeScript module", async () => {
    const out = join(dir, "es.ts");
    const r = await sampo(["export", "examples/eight_schools.ts", "--format", "ts", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(out, "utf8");
    expect(text).toMatch(/export function logpGrad\(/);
    expect(text).not.toMatch(/^import /m);
  });

  it("rejects a missing --out and an unknown format", async () => {
    expect((await sampo(["export", "examples/eight_schools.ts"])).stderr).toMatch(/--out FILE is required/);
    const r = await sampo(["export", "examples/eight_schools.ts", "--format", "wasm", "--out", join(dir, "x")]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/--format must be onnx or ts, got 'wasm'/)]);
  });
});
