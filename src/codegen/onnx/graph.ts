/**
 * Lowers a density's IR to an ONNX graph: input `theta [B, dim]`, outputs
 * `logp [B]` and `grad [B, dim]`, data as initializers. Scans become ONNX
 * Scan nodes whose bodies read outer values by name.
 * @module
 */
import type { Shape } from "../../tensor/shape.ts";
import type { ModelGraph } from "../../interpreters/graph.ts";
import type { Node } from "../../ir/node.ts";
import { topoSort } from "../../ir/walk.ts";
import { type DensityGraph, densityGraph } from "../densityGraph.ts";
import { Batchedness } from "./batched.ts";
import { GraphBuilder } from "./builder.ts";
import { type LowerContext, onnxRules, type Val } from "./lower.ts";
import { type Dtype, type OnnxTypes, valueInfo } from "./proto.ts";

/** An ONNX graph of a density, before assembly into a model. */
export interface DensityOnnx {
  readonly builder: GraphBuilder;
  readonly inputs: OnnxTypes.IValueInfoProto[];
  readonly outputs: OnnxTypes.IValueInfoProto[];
}

/** The name of data leaf `name` in the graph (a valid, unique identifier). */
export const dataName = (name: string, index: number): string => `data_${index}_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;

type Lowerer = (n: Node, ctx: LowerContext) => Val;

/** Lowering state of one graph (the root graph or a scan body). */
class Scope implements LowerContext {
  private readonly values = new Map<number, Val>();
  private readonly results = new Map<number, Val[]>();
  private batchShape: string | undefined;

  constructor(
    readonly b: GraphBuilder,
    readonly batched: Batchedness,
    readonly theta: string,
    private readonly parent?: Scope,
  ) {}

  has(n: Node): boolean {
    return this.values.has(n.id) || (this.parent?.has(n) ?? false);
  }

  value(n: Node): Val {
    const v = this.values.get(n.id) ?? this.parent?.value(n);
    if (v === undefined) throw new Error(`ONNX lowering: node ${n.id} (${n.op}) used before it was lowered`);
    return v;
  }

  bind(n: Node, v: Val): void {
    this.values.set(n.id, v);
  }

  /** Lowers every node `roots` need that is not available yet, in order. */
  lower(roots: readonly Node[]): void {
    for (const n of topoSort(roots, (m) => this.has(m))) {
      if (this.has(n)) continue;
      this.bind(n, (onnxRules[n.op] as Lowerer)(n, this));
    }
  }

  data(n: Node<"data">): string {
    if (this.parent !== undefined) return this.parent.data(n);
    const existing = this.b.initializers.find((t) => t.name === dataName(n.arg.name, n.arg.index));
    return existing?.name ?? this.b.named(dataName(n.arg.name, n.arg.index), n.arg.values, n.shape);
  }

  /** `[B]` as an int64 vector, from θ's shape (made once, in the root graph). */
  private batchSize(): string {
    if (this.parent !== undefined) return this.parent.batchSize();
    this.batchShape ??= this.b.op("Slice", [this.b.op("Shape", [this.theta]), this.b.ints([0]), this.b.ints([1])]);
    return this.batchShape;
  }

  batchify(v: Val, shape: Shape): string {
    if (v.batched) return v.name;
    const { b } = this;
    const target = b.op("Concat", [this.batchSize(), b.ints([...shape])], { axis: 0 });
    return b.op("Expand", [b.op("Unsqueeze", [v.name, b.ints([0])]), target]);
  }

  scanResults(n: Node<"scan">): readonly Val[] {
    const r = this.results.get(n.id) ?? this.parent?.scanResults(n);
    if (r === undefined) throw new Error(`ONNX lowering: scan ${n.id} read before it was lowered`);
    return r;
  }

  scan(n: Node<"scan">): Val[] {
    const a = n.arg;
    const k = a.carry.length;
    const carries = this.batched.carries(n);
    const dtype = this.b.dtype;
    const dims = (batched: boolean, shape: Shape) => (batched ? ["B", ...shape] : [...shape]);
    const init = a.carry.map((p, i) => (carries[i] ? this.batchify(this.value(n.src[i]), p.shape) : this.value(n.src[i]).name));
    const seqs = a.slices.map((_, j) => this.value(n.src[k + j]));

    const body = new Scope(this.b.subgraph(), this.batched, this.theta, this);
    const inputs: OnnxTypes.IValueInfoProto[] = [];
    a.carry.forEach((p, i) => {
      const name = body.b.fresh("carry");
      inputs.push(valueInfo(name, dtype, dims(carries[i], p.shape)));
      body.bind(p, { name, batched: carries[i] });
    });
    a.slices.forEach((p, j) => {
      const name = body.b.fresh("slice");
      inputs.push(valueInfo(name, dtype, dims(seqs[j].batched, p.shape)));
      body.bind(p, { name, batched: seqs[j].batched });
    });
    // ONNX Scan takes its trip count from its sequences: a scan over none gets a counter.
    const counter = seqs.length === 0 ? [this.b.constant(new Float64Array(a.length), [a.length])] : [];
    if (counter.length > 0) inputs.push(valueInfo(body.b.fresh("step"), dtype, []));
    body.lower([...a.nextCarry, ...a.outputs]);

    const outputs: OnnxTypes.IValueInfoProto[] = [];
    const emit = (name: string, batched: boolean, shape: Shape) => {
      const o = body.b.op("Identity", [name]);
      outputs.push(valueInfo(o, dtype, dims(batched, shape)));
    };
    a.nextCarry.forEach((c, i) => emit(carries[i] ? body.batchify(body.value(c), c.shape) : body.value(c).name, carries[i], c.shape));
    const outBatched = a.outputs.map((o) => body.value(o).batched);
    a.outputs.forEach((o, j) => emit(body.value(o).name, outBatched[j], o.shape));
    a.carry.forEach((p, i) => emit(body.value(p).name, carries[i], p.shape));

    const graph: OnnxTypes.IGraphProto = { name: body.b.fresh("scan_body"), node: body.b.nodes, input: inputs, output: outputs };
    const axisOf = (batched: boolean) => (batched ? 1 : 0);
    const names = this.b.opN("Scan", [...init, ...seqs.map((s) => s.name), ...counter], outputs.length, {
      body: { graph },
      num_scan_inputs: seqs.length + counter.length,
      scan_input_axes: [...seqs.map((s) => axisOf(s.batched)), ...counter.map(() => 0)],
      scan_output_axes: [...outBatched, ...carries].map(axisOf),
    });
    const batchedOut = [...carries, ...outBatched, ...carries];
    const vals = names.map((name, i) => ({ name, batched: batchedOut[i] }));
    this.results.set(n.id, vals);
    return vals;
  }
}

/** Lowers a model graph's density and gradient (its differentiated IR `dg`, when the caller has it) to ONNX nodes. */
export function densityOnnx(mg: ModelGraph, dtype: Dtype, dg: DensityGraph = densityGraph(mg)): DensityOnnx {
  const b = new GraphBuilder(dtype);
  const dim = mg.graph.params.reduce((s, p) => s + p.shape[0], 0);
  const scope = new Scope(b, new Batchedness(), "theta");
  const params = mg.graph.params;
  scope.lower([dg.logp, ...dg.grads.filter((g): g is Node => g !== null)]);
  b.opInto("Identity", [scope.batchify(scope.value(dg.logp), [])], ["logp"]);
  const parts = params.map((p, k) => {
    const g = dg.grads[k];
    const v = g === null ? { name: b.constant(new Float64Array(p.shape[0]), p.shape), batched: false } : scope.value(g);
    return scope.batchify(v, p.shape);
  });
  if (parts.length === 0) b.opInto("Identity", [scope.batchify({ name: b.constant([], [0]), batched: false }, [0])], ["grad"]);
  else b.opInto("Concat", parts, ["grad"], { axis: 1 });
  return {
    builder: b,
    inputs: [valueInfo("theta", dtype, ["B", dim])],
    outputs: [valueInfo("logp", dtype, ["B"]), valueInfo("grad", dtype, ["B", dim])],
  };
}
