/**
 * A model compiled to the plain-data form of its JavaScript density:
 * generated source, layouts, data and tables (what workers, other machines
 * and the other backends start from).
 * @module
 */
import type { PlainDensity } from "../density.ts";
import type { Model, Outputs } from "../../dsl/model.ts";
import { sizeOf } from "../../tensor/shape.ts";
import type { Arg } from "../../ir/node.ts";
import { buildGraph, type GraphOptions, type ModelGraph } from "../../interpreters/graph.ts";
import { layoutDim } from "../../interpreters/density.ts";
import { type DensityGraph, densityGraph } from "../densityGraph.ts";
import { emitModule } from "./module.ts";
import type { ValueEntry } from "../../tensor/layout.ts";

/** Where each constrained value (parameters, then deterministics) sits in a draw's values. */
export function valueLayoutOf(mg: ModelGraph): ValueEntry[] {
  const params = new Set(mg.layout.map((e) => e.name));
  let offset = 0;
  return [...mg.values].map(([name, node]) => {
    const size = sizeOf(node.shape);
    const entry: ValueEntry = { name, shape: node.shape, offset, size, kind: params.has(name) ? "parameter" : "deterministic" };
    offset += size;
    return entry;
  });
}

/** Compiles to the plain-data form only. */
export function compilePlain<D, O extends Outputs>(mdl: Model<D, O>, data: D, opts: GraphOptions = {}): PlainDensity {
  return plainOf(buildGraph(mdl, data, opts));
}

/** The plain-data form of a model graph (from its differentiated IR `dg`, when the caller has it). */
export function plainOf(mg: ModelGraph, dg: DensityGraph = densityGraph(mg)): PlainDensity {
  const js = emitModule(mg, dg);
  const valueLayout = valueLayoutOf(mg);
  return {
    format: "sampo.js/1",
    dim: layoutDim(mg.layout),
    layout: mg.layout,
    valueLayout,
    source: js.source,
    data: mg.graph.data.map((d) => {
      const a = d.arg as Arg<"data">;
      return { name: a.name, shape: d.shape, values: Array.from(a.values) };
    }),
    consts: js.consts.map((c) => Array.from(c)),
    indices: js.indices.map((c) => Array.from(c)),
  };
}
