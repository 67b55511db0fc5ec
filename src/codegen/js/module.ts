/**
 * Generates the JavaScript module of a model's density: `logp(θ)`,
 * `logpGrad(θ, grad)` and `constrain(θ, out)`, as source text plus the
 * tables it refers to, so it can be shipped to a worker or another machine.
 * @module
 */
import { gradient } from "../../autodiff/grad.ts";
import { sizeOf } from "../../dsl/shape.ts";
import type { ModelGraph } from "../../interpreters/graph.ts";
import type { Node } from "../../ir/node.ts";
import { verifyIR } from "../../ir/verify.ts";
import { Emitter, type EmittedFunction, PART_LINES, prelude, type Tables } from "./emit.ts";

/** Generated source and its tables: plain data. */
export interface JsModule {
  /** Body of `new Function("D", "C", "I", "S", source)`, returning `{ logp, logpGrad, constrain }`. */
  readonly source: string;
  readonly consts: Float64Array[];
  readonly indices: Int32Array[];
}

/** Emits one function; a body too large for V8 to optimize is emitted again, split into parts. */
function fn(
  name: string,
  params: string,
  roots: readonly Node[],
  tables: Tables,
  dataIndex: (n: Node<"data">) => number,
  finish: (e: Emitter) => void,
): EmittedFunction {
  const whole = new Emitter(roots, tables, dataIndex).run(finish, params);
  if (whole.body.split("\n").length <= PART_LINES) return whole;
  return new Emitter(roots, tables, dataIndex, name).run(finish, params);
}

/** Emits the density module of a model graph. */
export function emitModule(mg: ModelGraph): JsModule {
  const G = mg.graph;
  const params = G.params;
  const grads = gradient(G, mg.logp, params);
  const values = [...mg.values.values()];
  verifyIR([mg.logp, ...grads.filter((g): g is Node => g !== null), ...values]);
  const tables: Tables = { consts: [], indices: [] };
  const dataIndex = (n: Node<"data">) => n.arg.index;
  const ret = (e: Emitter) => e.statement(`return ${e.at(mg.logp, [])};`);

  const logp = fn("L", "th", [mg.logp], tables, dataIndex, ret);
  const gradRoots = grads.filter((g): g is Node => g !== null);
  const logpGrad = fn("G", "th, grad", [mg.logp, ...gradRoots], tables, dataIndex, (e) => {
    params.forEach((p, k) => {
      const off = p.arg.offset;
      const g = grads[k];
      e.forEach(p.shape, ([i]) => e.statement(`grad[${off === 0 ? "" : `${off} + `}${i}] = ${g === null ? "0" : e.at(g, [i])};`));
    });
    ret(e);
  });
  let valueOffset = 0;
  const constrain = fn("C", "th, out", values, tables, dataIndex, (e) => {
    for (const v of values) {
      const off = valueOffset;
      const size = sizeOf(v.shape);
      if (v.shape.length === 0) e.statement(`out[${off}] = ${e.at(v, [])};`);
      else {
        // Values are written row-major, one site after another.
        const strides = v.shape.map((_, k) => sizeOf(v.shape.slice(k + 1)));
        e.forEach(v.shape, (idx) => {
          const flat = idx.map((x, k) => (v.shape[k] === 1 ? "" : strides[k] === 1 ? x : `${x} * ${strides[k]}`)).filter(Boolean).join(" + ") || "0";
          e.statement(`out[${off} + ${flat}] = ${e.at(v, idx)};`);
        });
      }
      valueOffset += size;
    }
  });
  const setup = [...new Set([...logp.setup, ...logpGrad.setup, ...constrain.setup])];
  const source = [
    '"use strict";',
    prelude,
    ...setup,
    ...logp.parts,
    ...logpGrad.parts,
    ...constrain.parts,
    `function logp(th) {\n${logp.body}\n}`,
    `function logpGrad(th, grad) {\n${logpGrad.body}\n}`,
    `function constrain(th, out) {\n${constrain.body}\n}`,
    "return { logp, logpGrad, constrain };",
  ].join("\n");
  return { source, consts: tables.consts, indices: tables.indices };
}
