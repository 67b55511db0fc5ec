/**
 * compile(model, data): the model's log density and gradient as generated
 * JavaScript (the CPU hot path).
 * @module
 */
import { emitModule } from "./codegen/js/module.ts";
import { loadDensity } from "./codegen/js/load.ts";
import type { CompiledDensity, PlainDensity, ValueEntry } from "./codegen/density.ts";
import type { Model, Outputs } from "./dsl/model.ts";
import { sizeOf } from "./dsl/shape.ts";
import type { Arg } from "./ir/node.ts";
import { buildGraph } from "./interpreters/graph.ts";
import { layoutDim } from "./interpreters/density.ts";

/**
 * Compiles a model with its data into a fast density: `logp(θ)`,
 * `logpGrad(θ, grad)`, `constrain`, `unconstrain`, `setData` and a
 * plain-data form for other threads and machines. Build-time errors (shape,
 * support, data, names) are thrown here, naming the site.
 *
 * @example
 * ```ts
 * const d = compile(eightSchools, data);
 * const grad = new Float64Array(d.dim);
 * const lp = d.logpGrad(new Float64Array(d.dim), grad);
 * ```
 */
export function compile<D, O extends Outputs>(mdl: Model<D, O>, data: D): CompiledDensity {
  return loadDensity(compilePlain(mdl, data));
}

/** Compiles to the plain-data form only. */
export function compilePlain<D, O extends Outputs>(mdl: Model<D, O>, data: D): PlainDensity {
  const mg = buildGraph(mdl, data);
  const js = emitModule(mg);
  const params = new Set(mg.layout.map((e) => e.name));
  let offset = 0;
  const valueLayout: ValueEntry[] = [...mg.values].map(([name, node]) => {
    const size = sizeOf(node.shape);
    const entry: ValueEntry = { name, shape: node.shape, offset, size, kind: params.has(name) ? "parameter" : "deterministic" };
    offset += size;
    return entry;
  });
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
