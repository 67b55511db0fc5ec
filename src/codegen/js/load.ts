/**
 * Turns a plain density (source + arrays) into callable functions with
 * `new Function`: the generated code sees only its tables and the special
 * functions, never a user string.
 * @module
 */
import { DataError, SiteNameError } from "../../errors.ts";
import { numericToArray } from "../../dsl/math.ts";
import { sameShape, showShape, sizeOf } from "../../tensor/shape.ts";
import * as special from "../../special/index.ts";
import { DenseArena } from "./dense/arena.ts";
import { getTransform } from "../../transforms/index.ts";
import type { CompiledDensity, PlainDensity } from "../density.ts";
import type { Numeric } from "../../tensor/shape.ts";

type Fns = {
  prepare(): void;
  logp(th: Float64Array): number;
  logpGrad(th: Float64Array, grad: Float64Array): number;
  constrain(th: Float64Array, out: Float64Array): void;
};

/** Special functions the generated code calls as `S.name`. */
const S = Object.freeze({
  lgamma: special.lgamma,
  digamma: special.digamma,
  trigamma: special.trigamma,
  tetragamma: special.tetragamma,
  erf: special.erf,
});

/** A generated module: builds the functions over its tables, in its arena. */
type Factory = (D: Float64Array[], C: Float64Array[], I: Int32Array[], s: typeof S, w: DenseArena) => Fns;

/** Most generated modules kept (least recently used dropped first). */
const FACTORIES = 64;
const factories = new Map<string, Factory>();

/**
 * The factory of generated `source`, made once per process: densities of
 * the same model (another `sample()`, each chain of a thread) are closures
 * of one function, so they share the code V8 has already optimized and are
 * fast from their first call. (V8 shares a closure's optimized code with
 * its siblings only once a function literal has made more than one closure,
 * so a new factory makes one set of functions it throws away.)
 */
function factoryOf(source: string, D: Float64Array[], C: Float64Array[], I: Int32Array[]): Factory {
  let f = factories.get(source);
  if (f !== undefined) factories.delete(source);
  else {
    f = new Function("D", "C", "I", "S", "W", source) as Factory;
    // On copies of the tables: the arena takes its data tables over (DenseArena.table).
    f([...D], C, I, S, new DenseArena());
  }
  factories.set(source, f);
  if (factories.size > FACTORIES) factories.delete(factories.keys().next().value as string);
  return f;
}

/** Instantiates a plain density. */
export function loadDensity(plain: PlainDensity): CompiledDensity {
  if (plain.format !== "sampo.js/1") throw new Error(`unknown density format ${String(plain.format)}`);
  const D = plain.data.map((d) => Float64Array.from(d.values));
  const C = plain.consts.map((c) => Float64Array.from(c));
  const I = plain.indices.map((c) => Int32Array.from(c));
  // D's tables become views into the density's arena, where setData writes them.
  const fns = factoryOf(plain.source, D, C, I)(D, C, I, S, new DenseArena());
  fns.prepare();
  const valueSize = plain.valueLayout.reduce((a, e) => a + e.size, 0);
  const dataByName = new Map(plain.data.map((d, k) => [d.name, k]));
  const paramNames = new Set(plain.layout.map((e) => e.name));

  const density: CompiledDensity = {
    dim: plain.dim,
    layout: plain.layout,
    valueLayout: plain.valueLayout,
    valueSize,
    logp: fns.logp,
    logpGrad: fns.logpGrad,
    constrain(theta, out = new Float64Array(valueSize)) {
      fns.constrain(theta, out);
      return out;
    },
    constrainNamed(theta) {
      const all = density.constrain(theta);
      return Object.fromEntries(plain.valueLayout.map((e) => [e.name, all.slice(e.offset, e.offset + e.size)]));
    },
    unconstrain(values) {
      for (const name of Object.keys(values)) {
        if (!paramNames.has(name)) throw new SiteNameError(name, "no parameter (latent site) of this name in the model");
      }
      const theta = new Float64Array(plain.dim);
      for (const e of plain.layout) {
        // Own keys only: a parameter named "toString" must not find Object.prototype.toString.
        const v = Object.hasOwn(values, e.name) ? values[e.name] : undefined;
        if (v === undefined) throw new DataError(e.name, "no value given for this parameter");
        const { values: x, shape } = numericToArray(v as Numeric, e.name);
        if (sizeOf(shape) !== sizeOf(e.shape)) throw new DataError(e.name, `expected shape ${showShape(e.shape)}, got ${showShape(shape)}`);
        const t = e.transform;
        const needs = t.type === "lower" || t.type === "upper" || t.type === "lowerUpper";
        if (needs && ((t.type !== "upper" && t.lower === undefined) || (t.type !== "lower" && t.upper === undefined))) {
          throw new DataError(e.name, "its bounds depend on other parameters; unconstrain it through the model instead");
        }
        const fill = (b: number | undefined) => (b === undefined ? undefined : new Float64Array(x.length).fill(b));
        const z = getTransform(t.type).inverse(x, e.shape, { lower: fill(t.lower), upper: fill(t.upper) });
        theta.set(z, e.offset);
      }
      return theta;
    },
    setData(values) {
      for (const [name, v] of Object.entries(values)) {
        const k = dataByName.get(name);
        if (k === undefined) throw new DataError(name, "no data of this name in the model");
        const { values: x, shape } = numericToArray(v as Numeric, name);
        if (!sameShape(shape, plain.data[k].shape)) {
          throw new DataError(
            name,
            `shape ${showShape(shape)} differs from ${showShape(plain.data[k].shape)}: a shape change needs a rebuild (compile again)`,
          );
        }
        for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) throw new DataError(name, `data[${i}] is ${x[i]}`);
        D[k].set(x);
      }
      // The generated code reads D[k] in place; only its data-only values need recomputing.
      fns.prepare();
    },
    toPlain: () => ({ ...plain, data: plain.data.map((d, k) => ({ ...d, values: Array.from(D[k]) })) }),
  };
  return density;
}
