/**
 * A density's WGSL compute shader: one invocation of `main` per point of
 * the batch writes log p and the gradient, in float32, at
 * `out[p·(dim + 1)]` (log p, then ∇). `prepare`, one invocation run once
 * per data set, computes the values that depend on data only into `Q`.
 * The bindings are fixed (see {@link BINDINGS}), so one bind group layout
 * serves every model.
 * @module
 */
import type { ModelGraph } from "../../interpreters/graph.ts";
import type { Arg, Node } from "../../ir/node.ts";
import type { DensityGraph } from "../densityGraph.ts";
import { precomputed } from "../js/prepare.ts";
import { Tables, WgslEmitter } from "./emit.ts";
import { PARAMS_STRUCT } from "./literal.ts";
import { helperSource, helpersCalled } from "./syntax.ts";

/** Invocations per workgroup. */
export const WORKGROUP = 64;

/** The shader's bindings (group 0), in binding order. */
export const BINDINGS = ["params", "theta", "tables", "indices", "scratch", "out", "prepared"] as const;

/** A compiled shader and what its host needs to run it. */
export interface DensityShader {
  readonly code: string;
  /** Dimension of θ. */
  readonly dim: number;
  /** Floats of scratch per point. */
  readonly scratch: number;
  /** Floats of `Q`, the values `prepare` computes. */
  readonly prepared: number;
  /** The float table `D`: data arrays, then constants. */
  readonly floats: readonly Float64Array[];
  /** Where data array k starts in `D`. */
  readonly dataOffsets: readonly number[];
  /** The index table `I`. */
  readonly indices: readonly Int32Array[];
}

/** Generates the WGSL of a model graph's density and gradient (its differentiated IR `dg`). */
export function densityShader(mg: ModelGraph, dg: DensityGraph): DensityShader {
  const tables = new Tables();
  const dataOffsets = mg.graph.data.map((d) => tables.float((d.arg as Arg<"data">).values));
  const dataOffset = (n: Node<"data">) => dataOffsets[n.arg.index];
  const roots = [dg.logp, ...dg.grads.filter((g): g is Node => g !== null)];
  const pre = new WgslEmitter(tables, dataOffset, { kind: "prepare" });
  const prepared = pre.prepare(precomputed(roots));
  const e = new WgslEmitter(tables, dataOffset, { kind: "main", prepared });
  const params = mg.graph.params;
  const dim = params.reduce((s, p) => s + p.shape[0], 0);
  e.compute(roots);
  e.emit(`let O = p * ${dim + 1};`);
  const logp = e.at(dg.logp, []);
  e.emit(`out[O] = ${logp};`);
  params.forEach((p, k) => {
    const g = dg.grads[k];
    const offset = (p.arg as Arg<"param">).offset;
    e.loops(p.shape, ([i]) => {
      const v = g === null ? "0.0" : e.at(g, [i]);
      e.emit(`out[O + ${1 + offset} + ${i}] = ${v};`);
    });
  });
  const body = e.body;
  const code = [
    PARAMS_STRUCT,
    "@group(0) @binding(0) var<uniform> P: Params;",
    "@group(0) @binding(1) var<storage, read> th: array<f32>;",
    "@group(0) @binding(2) var<storage, read> D: array<f32>;",
    "@group(0) @binding(3) var<storage, read> I: array<i32>;",
    "@group(0) @binding(4) var<storage, read_write> S: array<f32>;",
    "@group(0) @binding(5) var<storage, read_write> out: array<f32>;",
    "@group(0) @binding(6) var<storage, read_write> Q: array<f32>;",
    helperSource(helpersCalled(pre.body + body)),
    "@compute @workgroup_size(1)",
    "fn prepare() {",
    pre.body,
    "}",
    `@compute @workgroup_size(${WORKGROUP})`,
    "fn main(@builtin(global_invocation_id) gid: vec3<u32>) {",
    "  if (gid.x >= P.n) { return; }",
    "  let p = i32(gid.x);",
    "  let N = i32(P.n);",
    `  let TH = p * ${dim};`,
    body,
    "}",
  ].join("\n");
  return { code, dim, scratch: e.scratchSize, prepared: pre.scratchSize, floats: tables.floats, dataOffsets, indices: tables.indices };
}
