/**
 * Generates the JavaScript module of a model's density: `logp(θ)`,
 * `logpGrad(θ, grad)` and `constrain(θ, out)`, plus `prepare()` which
 * computes their data-only parts (run at load and after each data change),
 * as source text plus the tables it refers to, so it can be shipped to a
 * worker or another machine.
 * @module
 */
import { sizeOf } from "../../dsl/shape.ts";
import type { ModelGraph } from "../../interpreters/graph.ts";
import type { Node } from "../../ir/node.ts";
import { densityGraph } from "../densityGraph.ts";
import { Emitter, type EmittedFunction, PART_LINES, type Sink, type Tables } from "./emit.ts";
import { flatIndex, offsetIndex, prelude } from "./syntax.ts";
import { precomputed } from "./prepare.ts";

/** Generated source and its tables: plain data. */
export interface JsModule {
  /** Body of `new Function("D", "C", "I", "S", source)`, returning `{ prepare, logp, logpGrad, constrain }`. */
  readonly source: string;
  readonly consts: Float64Array[];
  readonly indices: Int32Array[];
}

/** What every function of a module shares. */
interface Context {
  readonly tables: Tables;
  readonly dataIndex: (n: Node<"data">) => number;
  readonly pre: ReadonlySet<number>;
}

/** Emits one function; a body too large for V8 to optimize is emitted again, split into parts. */
function fn(
  name: string,
  params: string,
  roots: readonly Node[],
  sinks: readonly Sink[],
  ctx: Context,
  finish: (e: Emitter) => void,
): EmittedFunction {
  const whole = new Emitter(roots, sinks, ctx.tables, ctx.dataIndex, { pre: ctx.pre }).run(finish, params);
  if (whole.body.split("\n").length <= PART_LINES) return whole;
  return new Emitter(roots, sinks, ctx.tables, ctx.dataIndex, { pre: ctx.pre, split: name }).run(finish, params);
}

/** Element `idx` of a tensor of `shape` stored row-major in `array` from `offset` on. */
function flatTarget(array: string, offset: number, shape: readonly number[], idx: readonly string[]): string {
  return `${array}[${offsetIndex(offset, flatIndex(shape, idx))}]`;
}

/** Emits the density module of a model graph. */
export function emitModule(mg: ModelGraph): JsModule {
  const params = mg.graph.params;
  const { logp: logpNode, grads, values, roots: simplified } = densityGraph(mg);

  const preNodes = precomputed(simplified);
  const ctx: Context = { tables: { consts: [], indices: [] }, dataIndex: (n) => n.arg.index, pre: new Set(preNodes.map((n) => n.id)) };
  const ret = (e: Emitter) => e.statement(`return ${e.at(logpNode, [])};`);

  const prepare = fn("P", "", preNodes, [], { ...ctx, pre: new Set() }, (e) => {
    for (const n of preNodes) if (n.shape.length === 0) e.statement(`p${n.id} = ${e.at(n, [])};`);
  });
  const logp = fn("L", "th", [logpNode], [], ctx, ret);
  const gradSinks: Sink[] = [];
  params.forEach((p, k) => {
    const g = grads[k];
    if (g !== null) gradSinks.push({ node: g, target: (idx) => flatTarget("grad", p.arg.offset, p.shape, idx) });
  });
  const logpGrad = fn("G", "th, grad", [logpNode], gradSinks, ctx, (e) => {
    params.forEach((p, k) => {
      if (grads[k] === null) e.forEach(p.shape, (idx) => e.statement(`${flatTarget("grad", p.arg.offset, p.shape, idx)} = 0;`));
    });
    ret(e);
  });
  // Values are written row-major, one site after another.
  const valueSinks: Sink[] = [];
  let valueOffset = 0;
  for (const v of values) {
    const off = valueOffset;
    valueSinks.push({ node: v, target: (idx) => flatTarget("out", off, v.shape, idx) });
    valueOffset += sizeOf(v.shape);
  }
  const constrain = fn("C", "th, out", [], valueSinks, ctx, () => {});
  const scalars = preNodes.filter((n) => n.shape.length === 0).map((n) => `let p${n.id} = 0;`);
  const fns = [prepare, logp, logpGrad, constrain];
  const setup = [...new Set(fns.flatMap((f) => f.setup))];
  const source = [
    '"use strict";',
    prelude,
    ...setup,
    ...scalars,
    ...fns.flatMap((f) => f.parts),
    `function prepare() {\n${prepare.body}\n}`,
    `function logp(th) {\n${logp.body}\n}`,
    `function logpGrad(th, grad) {\n${logpGrad.body}\n}`,
    `function constrain(th, out) {\n${constrain.body}\n}`,
    "return { prepare, logp, logpGrad, constrain };",
  ].join("\n");
  return { source, consts: ctx.tables.consts, indices: ctx.tables.indices };
}
