/**
 * Generates the JavaScript module of a model's density: `logp(θ)`,
 * `logpGrad(θ, grad)` and `constrain(θ, out)`, plus `prepare()` which
 * computes their data-only parts (run at load and after each data change),
 * as source text plus the tables it refers to, so it can be shipped to a
 * worker or another machine.
 * @module
 */
import { sizeOf } from "../../tensor/shape.ts";
import type { ModelGraph } from "../../interpreters/graph.ts";
import type { Node } from "../../ir/node.ts";
import { type DensityGraph, densityGraph } from "../densityGraph.ts";
import { type EmitOptions, type EmittedPart, Emitter, PART_LINES, type Sink, type Tables } from "./emit.ts";
import type { DenseArena } from "./dense/arena.ts";
import { flatIndex, offsetIndex, prelude, withLocalArrays } from "./syntax.ts";
import { precomputed } from "./prepare.ts";
import { layoutDim } from "../../interpreters/density.ts";

/** Generated source and its tables: plain data. */
export interface JsModule {
  /**
   * Body of `new Function("D", "C", "I", "S", "W", source)`, returning
   * `{ prepare, logp, logpGrad, constrain }`; `W` is a fresh
   * {@link DenseArena} for each density the module is instantiated for.
   */
  readonly source: string;
  readonly consts: Float64Array[];
  readonly indices: Int32Array[];
}

/** What every function of a module shares. */
interface Context {
  readonly tables: Tables;
  readonly dataIndex: (n: Node<"data">) => number;
  readonly pre: ReadonlySet<number>;
  readonly dense: boolean;
}

/** Emits one function; a body too large for V8 to optimize is emitted again, split into parts named after `split`. */
function fn(
  name: ModuleFunction["name"],
  split: string,
  params: readonly string[],
  roots: readonly Node[],
  sinks: readonly Sink[],
  ctx: Context,
  finish: (e: Emitter) => void,
): { readonly fn: ModuleFunction; readonly setup: readonly string[]; readonly arena: ReadonlyMap<string, number> } {
  const emit = (options: EmitOptions) => new Emitter(roots, sinks, ctx.tables, ctx.dataIndex, options).run(finish, params.join(", "));
  let f = emit({ pre: ctx.pre, dense: ctx.dense });
  if (f.body.split("\n").length > PART_LINES) f = emit({ pre: ctx.pre, split, dense: ctx.dense });
  return { fn: { name, params, body: f.body, parts: f.parts }, setup: f.setup, arena: f.arena };
}

/** A function of `th` whose body is one statement, with the module-level line it needs. */
function delegated(name: ModuleFunction["name"], statement: string, setup: string): ReturnType<typeof fn> {
  return { fn: { name, params: ["th"], body: `  ${statement}`, parts: [] }, setup: [setup], arena: new Map() };
}

/** Element `idx` of a tensor of `shape` stored row-major in `array` from `offset` on. */
function flatTarget(array: string, offset: number, shape: readonly number[], idx: readonly string[]): string {
  return `${array}[${offsetIndex(offset, flatIndex(shape, idx))}]`;
}

/** One function of a density module; every parameter is a Float64Array. */
export interface ModuleFunction {
  readonly name: "prepare" | "logp" | "logpGrad" | "logpCareful" | "logpGradCareful" | "constrain";
  readonly params: readonly string[];
  readonly body: string;
  /** Helper functions the body calls (a large body split), taking the same parameters. */
  readonly parts: readonly EmittedPart[];
}

/** A density module before it is put together as one source: what the JavaScript and TypeScript modules share. */
export interface ModuleParts {
  /** Module-level statements, each once: buffers, table reads (`const D0 = D[0];`), the data-only scalars. */
  readonly setup: readonly string[];
  /**
   * prepare(), logp(th), logpGrad(th, grad), then, where the density has a careful form (see
   * DensityGraph.careful), logpCareful(th) and logpGradCareful(th, grad), which logp and logpGrad
   * return instead of a result that is not finite; constrain(th, out) last.
   */
  readonly functions: readonly ModuleFunction[];
  readonly consts: Float64Array[];
  readonly indices: Int32Array[];
}

/**
 * Emits the density module of a model graph (from its differentiated IR
 * `dg`, when the caller has it), by default in dense mode: buffers and data
 * in the arena `W`, large matrix–vector products in its WebAssembly kernels.
 */
export function emitModule(mg: ModelGraph, dg: DensityGraph = densityGraph(mg), options: ModulePartsOptions = { dense: true }): JsModule {
  const parts = emitModuleParts(mg, dg, options);
  const fnText = (name: string, params: readonly string[], body: string) => `function ${name}(${params.join(", ")}) {\n${body}\n}`;
  const source = [
    '"use strict";',
    prelude,
    ...parts.setup,
    ...parts.functions.flatMap((f) => f.parts.map((p) => fnText(p.name, f.params, p.body))),
    ...parts.functions.map((f) => fnText(f.name, f.params, f.body)),
    `return { ${parts.functions.map((f) => f.name).join(", ")} };`,
  ].join("\n");
  return { source, consts: parts.consts, indices: parts.indices };
}

/** Options of {@link emitModuleParts}. */
export interface ModulePartsOptions {
  /** Emit for a {@link DenseArena} `W` (see EmitOptions.dense); the setup then starts with `W.reserve(…)`. */
  readonly dense?: boolean;
}

/** Emits the functions of the density module of a model graph, and the tables they read. */
export function emitModuleParts(mg: ModelGraph, dg: DensityGraph = densityGraph(mg), options: ModulePartsOptions = {}): ModuleParts {
  const params = mg.graph.params;
  const { logp: logpNode, grads, values, roots: simplified, careful } = dg;

  const preNodes = precomputed(simplified);
  const ctx: Context = {
    tables: { consts: [], indices: [] },
    dataIndex: (n) => n.arg.index,
    pre: new Set(preNodes.map((n) => n.id)),
    dense: options.dense === true,
  };
  const ret = (node: Node) => (e: Emitter) => e.statement(`return ${e.at(node, [])};`);
  // Where there is a careful form, a result it computes differently that is not finite (x − x is NaN for ±∞
  // and NaN) is recomputed by it. Only those results are checked: elsewhere the careful form gives the same.
  const differs = (a: Node | null, b: Node | null | undefined) => careful !== undefined && a !== b;
  const checked = params.filter((_, k) => differs(grads[k], careful?.grads[k])).map((p) => [p.arg.offset, sizeOf(p.shape)]);
  const orFallback = (fallback: string, ranges: readonly number[][]) => (e: Emitter) => {
    const lpTerm = `(lp - lp)`;
    e.statement(`const lp = ${e.at(logpNode, [])};`);
    const size = ranges.reduce((a, [, n]) => a + n, 0);
    if (size > 32) {
      e.statement(`let finite = ${lpTerm};`);
      for (const [off, n] of ranges) e.statement(`for (let i = ${off}; i < ${off + n}; i++) finite += grad[i] - grad[i];`);
      return e.statement(`return finite === 0 ? lp : ${fallback};`);
    }
    // Straight-line, summed as a balanced tree, so that the additions overlap.
    const tree = (ts: readonly string[]): string =>
      ts.length === 1 ? ts[0] : `(${tree(ts.slice(0, ts.length >> 1))} + ${tree(ts.slice(ts.length >> 1))})`;
    const terms = ranges.flatMap(([off, n]) => Array.from({ length: n }, (_, i) => `(grad[${off + i}] - grad[${off + i}])`));
    e.statement(`return ${tree([lpTerm, ...terms])} === 0 ? lp : ${fallback};`);
  };

  const prepare = fn("prepare", "P", [], preNodes, [], { ...ctx, pre: new Set() }, (e) => {
    for (const n of preNodes) if (n.shape.length === 0) e.statement(`p${n.id} = ${e.at(n, [])};`);
  });
  const gradFunction = (
    name: "logpGrad" | "logpGradCareful",
    split: string,
    root: Node,
    gs: readonly (Node | null)[],
    finish: (e: Emitter) => void,
  ) => {
    const sinks: Sink[] = [];
    params.forEach((p, k) => {
      const g = gs[k];
      if (g !== null) sinks.push({ node: g, target: (idx) => flatTarget("grad", p.arg.offset, p.shape, idx) });
    });
    return fn(name, split, ["th", "grad"], [root], sinks, ctx, (e) => {
      params.forEach((p, k) => {
        if (gs[k] === null) e.forEach(p.shape, (idx) => e.statement(`${flatTarget("grad", p.arg.offset, p.shape, idx)} = 0;`));
      });
      finish(e);
    });
  };
  const logpDiffers = differs(logpNode, careful?.logp);
  const logp = fn("logp", "L", ["th"], [logpNode], [], ctx, logpDiffers ? orFallback("logpCareful(th)", []) : ret(logpNode));
  const logpGrad = gradFunction(
    "logpGrad",
    "G",
    logpNode,
    grads,
    careful === undefined ? ret(logpNode) : orFallback("logpGradCareful(th, grad)", checked),
  );
  const carefulFunctions =
    careful === undefined
      ? []
      : [
          // log p alone through the gradient, into a scratch array: the careful form runs rarely, and one
          // function less to generate is a shorter compile.
          ...(logpDiffers
            ? [
                delegated(
                  "logpCareful",
                  "return logpGradCareful(th, careGrad);",
                  `const careGrad = new Float64Array(${layoutDim(mg.layout)});`,
                ),
              ]
            : []),
          gradFunction("logpGradCareful", "GC", careful.logp, careful.grads, ret(careful.logp)),
        ];
  // Values are written row-major, one site after another.
  const valueSinks: Sink[] = [];
  let valueOffset = 0;
  for (const v of values) {
    const off = valueOffset;
    valueSinks.push({ node: v, target: (idx) => flatTarget("out", off, v.shape, idx) });
    valueOffset += sizeOf(v.shape);
  }
  const constrain = fn("constrain", "C", ["th", "out"], [], valueSinks, ctx, () => {});
  const scalars = preNodes.filter((n) => n.shape.length === 0).map((n) => `let p${n.id} = 0;`);
  const emitted = [prepare, logp, logpGrad, ...carefulFunctions, constrain];
  // Each arena name is one allocation, whichever functions declare it.
  const arena = new Map(emitted.flatMap((f) => [...f.arena]));
  const reserve = ctx.dense ? [`W.reserve(${[...arena.values()].reduce((s, n) => s + n, 0)});`] : [];
  const setup = [...reserve, ...new Set(emitted.flatMap((f) => f.setup)), ...scalars];
  // Every `const` of the setup is an array (scalars are `let`).
  const arrays = new Set(setup.flatMap((line) => /^const (\w+) = /.exec(line)?.[1] ?? []));
  const local = (body: string) => withLocalArrays(body, arrays);
  const functions = emitted.map(({ fn: f }) => ({ ...f, body: local(f.body), parts: f.parts.map((p) => ({ ...p, body: local(p.body) })) }));
  return { setup, functions, consts: ctx.tables.consts, indices: ctx.tables.indices };
}
