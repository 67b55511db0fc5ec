/**
 * The exported file: a fresh onnxruntime session from the file gives the
 * backend's values; the metadata reads back; the input and outputs have the
 * documented names, types and symbolic batch dimension; Debian's
 * python3-onnx checker (a structural check independent of onnxruntime)
 * accepts it; CUDA, absent here, falls back to the CPU with a note.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { benchmarks, posteriordb } from "../../../examples/index.ts";
import { compile, compilePlain } from "../../../src/codegen/compile.ts";
import { decodeModel } from "../../../src/codegen/onnx/assemble.ts";
import { exportOnnx } from "../../../src/codegen/onnx/export.ts";
import { readOnnxMetadata } from "../../../src/codegen/onnx/model.ts";
import { elemType } from "../../../src/codegen/onnx/proto.ts";
import { modelHash } from "../../../src/codegen/hash.ts";
import type { StartMessage } from "../../../src/runtime/messages.ts";
import { sampleStream } from "../../../src/fit/sampleStream.ts";
import { SAMPO_VERSION } from "../../../src/version.ts";
import { randomPoints } from "../../helpers/agree.ts";
import { ensureDebianPackage } from "../../helpers/debian.ts";

const dir = mkdtempSync(join(tmpdir(), "sampo-onnx-"));
const { model, data } = benchmarks.sv;

describe("exportOnnx", () => {
  it("writes a file a fresh session evaluates exactly like the backend", async () => {
    const path = join(dir, "sv.onnx");
    await exportOnnx(model, data, path);
    const density = await compile(model, data, { backend: "onnx" });
    const n = 5;
    const pts = new Float64Array(n * density.dim);
    randomPoints(density.dim, n, 0xe1).forEach((p, i) => pts.set(p, i * density.dim));
    const logp = new Float64Array(n);
    const grad = new Float64Array(n * density.dim);
    await density.logpGradBatch(pts, n, logp, grad);
    await density.release();

    const session = await ort.InferenceSession.create(path);
    const r = await session.run({ theta: new ort.Tensor("float64", pts, [n, density.dim]) });
    expect(Array.from(r.logp.data as Float64Array)).toEqual(Array.from(logp));
    expect(Array.from(r.grad.data as Float64Array)).toEqual(Array.from(grad));
    expect(r.grad.dims).toEqual([n, density.dim]);
    await session.release();
  });

  it("records layout, version, model hash and dtype in metadata_props", async () => {
    const path = join(dir, "sv32.onnx");
    await exportOnnx(model, data, path, { dtype: "float32" });
    const meta = readOnnxMetadata(readFileSync(path));
    const plain = compilePlain(model, data);
    expect(JSON.parse(meta["sampo.layout"] ?? "null")).toEqual(JSON.parse(JSON.stringify(plain.layout)));
    expect(meta["sampo.version"]).toBe(SAMPO_VERSION);
    expect(meta["sampo.modelHash"]).toBe(modelHash(plain));
    expect(meta["sampo.dtype"]).toBe("float32");
  });

  it("exports reparameterized on request, with the model hash of the run that chose the centering", async () => {
    const es = benchmarks.eight_schools;
    let start: StartMessage | undefined;
    for await (const msg of sampleStream(es.model, es.data, { chains: 1, warmup: 20, draws: 1, seed: 3, workers: 0 }))
      if (msg.type === "start") start = msg;
    if (start === undefined) throw new Error("no start message");
    expect(Object.keys(start.centering)).toEqual(["theta"]);
    const asRun = join(dir, "es-reparam.onnx");
    await exportOnnx(es.model, es.data, asRun, { centering: start.centering });
    expect(readOnnxMetadata(readFileSync(asRun))["sampo.modelHash"]).toBe(start.modelHash);
    const asWritten = join(dir, "es-as-written.onnx");
    await exportOnnx(es.model, es.data, asWritten);
    expect(readOnnxMetadata(readFileSync(asWritten))["sampo.modelHash"]).not.toBe(start.modelHash);
    await expect(exportOnnx(es.model, es.data, asRun, { centering: { mu: [0] } })).rejects.toThrow(/centering given for a site/);
  });

  it("declares theta [B, d] → logp [B], grad [B, d] with B symbolic, opset 17, IR 8", async () => {
    const path = join(dir, "es.onnx");
    await exportOnnx(benchmarks.eight_schools.model, benchmarks.eight_schools.data, path);
    const m = decodeModel(readFileSync(path));
    expect(Number(m.irVersion)).toBe(8);
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([["", 17]]);
    type Info = NonNullable<NonNullable<typeof m.graph>["input"]>[number];
    const dims = (v: Info) => v.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue));
    const types = (v: Info) => v.type?.tensorType?.elemType;
    const [theta] = m.graph?.input ?? [];
    const [logp, grad] = m.graph?.output ?? [];
    expect([theta.name, dims(theta), types(theta)]).toEqual(["theta", ["B", 10], elemType.float64]);
    expect([logp.name, dims(logp)]).toEqual(["logp", ["B"]]);
    expect([grad.name, dims(grad)]).toEqual(["grad", ["B", 10]]);
  });

  it("passes onnx.checker.check_model of Debian's python3-onnx", { timeout: 300_000 }, async () => {
    ensureDebianPackage("python3-onnx", ["/usr/bin/python3", "-c", "import onnx"]);
    // hmm_example has Scans (subgraphs) and matrix products, gp_regr an unrolled Cholesky, sv special functions; in float64 and float32.
    const files: string[] = [];
    const models = [
      ["hmm", posteriordb["hmm_example-hmm_example"]],
      ["gp", posteriordb["gp_pois_regr-gp_regr"]],
      ["sv", benchmarks.sv],
    ] as const;
    for (const dtype of ["float64", "float32"] as const) {
      for (const [name, ex] of models) {
        const path = join(dir, `check-${name}-${dtype}.onnx`);
        await exportOnnx(ex.model, ex.data, path, { dtype });
        files.push(path);
      }
    }
    const script =
      "import sys, onnx\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\nprint('ok', len(sys.argv) - 1)";
    const out = execFileSync("/usr/bin/python3", ["-c", script, ...files], { encoding: "utf8" });
    expect(out.trim()).toBe(`ok ${files.length}`);
  });
});

describe("the ONNX backend", () => {
  it("setData changes the batched values as it changes the JavaScript density's", async () => {
    const es = benchmarks.eight_schools;
    const d = await compile(es.model, es.data, { backend: "onnx" });
    const theta = Float64Array.from(randomPoints(d.dim, 1, 0xe2)[0]);
    const logp = new Float64Array(1);
    const grad = new Float64Array(d.dim);
    await d.logpGradBatch(theta, 1, logp, grad);
    const before = logp[0];
    d.setData({ sigma: [1, 2, 3, 4, 5, 6, 7, 8] });
    await d.logpGradBatch(theta, 1, logp, grad);
    const want = new Float64Array(d.dim);
    const lp = d.logpGrad(theta, want);
    expect(logp[0]).not.toBeCloseTo(before, 3);
    expect(logp[0]).toBeCloseTo(lp, 9);
    grad.forEach((g, k) => expect(g).toBeCloseTo(want[k], 9));
    await d.release();
  });

  it("cuda falls back to the CPU provider with a note saying why and how to install CUDA", async () => {
    const d = await compile(benchmarks.eight_schools.model, benchmarks.eight_schools.data, { backend: "onnx", device: "cuda" });
    expect(d.provider).toBe("cpu");
    expect(d.note).toMatch(/CUDA execution provider unavailable/);
    expect(d.note).toMatch(/ONNXRUNTIME_NODE_INSTALL/);
    const logp = new Float64Array(1);
    await d.logpGradBatch(new Float64Array(d.dim), 1, logp, new Float64Array(d.dim));
    expect(logp[0]).toBeCloseTo(d.logp(new Float64Array(d.dim)), 10);
    await d.release();
  });
});
