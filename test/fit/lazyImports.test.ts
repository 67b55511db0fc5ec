/**
 * What importing the library loads: the heavy optional parts (ts-morph with
 * the TypeScript compiler, about 250 ms to import; onnxruntime and the ONNX
 * protobuf code, about 25 and 30 ms; the NATS client, about 30 ms) are loaded by
 * the functions that need them, on first use, not by every importer.
 * Each case imports a module in a fresh Node process and lists which of
 * these packages its CommonJS module cache then holds.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const HEAVY = ["ts-morph", "onnxruntime-node", "onnx-proto", "@nats-io/jetstream", "@nats-io/transport-node"];

/** The heavy packages loaded by importing `module` (a path under src/), and by then calling `then` (a script's body) if given. */
function loadedBy(module: string, then = ""): string[] {
  const script = `
    const lib = await import(${JSON.stringify(join(root, module))});
    ${then}
    const { createRequire } = await import("node:module");
    const cached = Object.keys(createRequire(import.meta.url).cache);
    const heavy = ${JSON.stringify(HEAVY)};
    console.log(JSON.stringify(heavy.filter((p) => cached.some((k) => k.includes("/node_modules/" + p + "/")))));`;
  const out = execFileSync(process.execPath, ["--import", "tsx/esm", "--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").at(-1)!) as string[];
}

describe("lazy imports", () => {
  it("sample() and its stream load none of them", () => {
    expect(loadedBy("src/fit/sample.ts")).toEqual([]);
  });

  it("the package root loads none of them", () => {
    expect(loadedBy("src/index.ts")).toEqual([]);
  });

  it("the functions that need them load them", () => {
    const emit = `const m = lib.model((m) => { m.sample("x", m.normal(0, 1)); return {}; }); lib.emitStandaloneTs(m, undefined);`;
    expect(loadedBy("src/index.ts", emit)).toContain("ts-morph");
    const onnx = `const m = lib.model((m) => { m.sample("x", m.normal(0, 1)); return {}; }); await lib.compile(m, undefined, { backend: "onnx" });`;
    expect(loadedBy("src/index.ts", onnx)).toContain("onnxruntime-node");
    const build = `const m = lib.model((m) => { m.sample("x", m.normal(0, 1)); return {}; }); lib.buildOnnx(m, undefined);`;
    expect(loadedBy("src/index.ts", build)).toEqual(["onnx-proto"]);
  });
});
