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
import { cachedModule } from "./moduleCache.ts";
import { emitModule, type JsModule } from "./module.ts";
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

/** Compiles to the plain-data form only (its module generated once per process for the same graph: moduleCache.ts). */
export function compilePlain<D, O extends Outputs>(mdl: Model<D, O>, data: D, opts: GraphOptions = {}): PlainDensity {
  const mg = buildGraph(mdl, data, opts);
  return plainWith(
    mg,
    cachedModule(mg, () => emitModule(mg)),
  );
}

/** The plain-data form of a model graph (from its differentiated IR `dg`, when the caller has it). */
export function plainOf(mg: ModelGraph, dg: DensityGraph = densityGraph(mg)): PlainDensity {
  return plainWith(mg, emitModule(mg, dg));
}

/** The plain-data form of a model graph with its generated module. */
function plainWith(mg: ModelGraph, js: JsModule): PlainDensity {
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
