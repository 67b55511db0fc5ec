/**
 * Legal names that stress a writer (prototype keys, Unicode letters with a
 * combining mark) in an exported ONNX file: its metadata reads back with the
 * layout as written, and a fresh session evaluates the density as compile does.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, describe, expect, it } from "vitest";
import { compile, compilePlain } from "../../../src/codegen/compile.ts";
import { exportOnnx } from "../../../src/codegen/onnx/export.ts";
import { readOnnxMetadata } from "../../../src/codegen/onnx/model.ts";
import { randomPoints } from "../../helpers/agree.ts";
import { hostile, hostileData, hostileNames } from "../../helpers/hostile.ts";

const dir = mkdtempSync(join(tmpdir(), "sampo-onnx-names-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("ONNX export of unusual legal names", () => {
  it("keeps prototype keys and Unicode names in the metadata's layout, and evaluates like compile", async () => {
    const path = join(dir, "hostile.onnx");
    await exportOnnx(hostile, hostileData, path);
    const meta = readOnnxMetadata(readFileSync(path));
    const layout = JSON.parse(meta["sampo.layout"] ?? "null") as { name: string }[];
    expect(layout.map((e) => e.name)).toEqual(hostileNames.slice(0, 3));
    expect(layout).toEqual(JSON.parse(JSON.stringify(compilePlain(hostile, hostileData).layout)));

    const density = compile(hostile, hostileData);
    const n = 3;
    const pts = new Float64Array(n * density.dim);
    randomPoints(density.dim, n, 7).forEach((p, i) => pts.set(p, i * density.dim));
    const session = await ort.InferenceSession.create(path);
    try {
      const r = await session.run({ theta: new ort.Tensor("float64", pts, [n, density.dim]) });
      for (let i = 0; i < n; i++)
        expect((r.logp.data as Float64Array)[i]).toBeCloseTo(density.logp(pts.subarray(i * density.dim, (i + 1) * density.dim)), 9);
    } finally {
      await session.release();
    }
  });
});
